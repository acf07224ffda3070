package dev.mode.cluster;

import dev.mode.Service;
import dev.mode.worker.DurationConverter;
import dev.mode.worker.Worker;
import dev.mode.worker.WorkerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import picocli.CommandLine.Option;

/**
 * Brings the cluster to the {@link Worker}'s command line. With mode-cluster on the class path the
 * Worker finds this extension by itself ({@code ServiceLoader}) and gains the options below; given
 * {@code --cluster-store} (or built in code with a store: {@code
 * Worker.builder(app).extension(new ClusterExtension(ClusterStore.h2InMemory()))}), it runs a {@link
 * Cluster} before the user's services, so {@link LeaderService}s and {@link ClusterOnce} jobs find it.
 * Without either it runs nothing: a program that does not use the cluster is not changed.
 *
 * <ul>
 *   <li>{@code --cluster-store URL}: {@code kubernetes://[namespace]}, {@code zookeeper://zk1:2181,zk2:2181}, {@code
 *       jdbc:postgresql://host:5432/db}, {@code jdbc:h2:...}
 *       ({@code jdbc:h2:mem:cluster}: an H2 database in memory, a cluster of one for local runs);
 *   <li>{@code --cluster-user}, {@code --cluster-password}: the store's credentials;
 *   <li>{@code --cluster-lease DURATION}: the leader lease (default 15s);
 *   <li>{@code --cluster-node-id NAME}: this replica's name (default host-pid).
 * </ul>
 *
 * Not thread-safe: the Worker calls it from one thread, in the order {@link WorkerExtension}
 * documents.
 */
public final class ClusterExtension implements WorkerExtension {
  private final ClusterStore defaultStore; // null: off unless --cluster-store is given
  private final Flags flags = new Flags();
  private volatile Cluster cluster;

  /** The extension the Worker loads by itself: off unless {@code --cluster-store} is given. */
  public ClusterExtension() {
    this.defaultStore = null;
  }

  /** An extension that always runs a cluster member, on {@code store} unless the command line names another. */
  public ClusterExtension(ClusterStore store) {
    this.defaultStore = Objects.requireNonNull(store, "store");
  }

  /** The command-line flags. */
  static final class Flags {
    @Option(
        names = "--cluster-store",
        paramLabel = "URL",
        description = "Run this replica as a cluster member, coordinating through this store: kubernetes://[namespace], zookeeper://host:2181[,host:2181][/chroot] or a JDBC URL (jdbc:postgresql://host:5432/db, jdbc:h2:tcp://host/db, jdbc:h2:mem:cluster for a cluster of one). Off unless given.")
    String store;

    @Option(names = "--cluster-user", paramLabel = "USER", description = "User for the cluster store.")
    String user;

    @Option(names = "--cluster-password", paramLabel = "PASSWORD", description = "Password for the cluster store.")
    String password;

    @Option(
        names = "--cluster-lease",
        paramLabel = "DURATION",
        converter = DurationConverter.class,
        description = "Leader lease: a leader that cannot renew steps down after 2/3 of it; a dead leader is replaced after 6/5 of it (250ms, 15s, PT15S). Default: 15s.")
    Duration lease = Duration.ofSeconds(15);

    @Option(names = "--cluster-node-id", paramLabel = "NAME", description = "This replica's name in the store; unique per replica. Default: host-pid.")
    String nodeId;
  }

  @Override
  public Object options() {
    return flags;
  }

  @Override
  public List<Service> services(Worker worker) {
    if (flags.store == null && defaultStore == null) return List.of();
    ClusterStore store = flags.store != null ? ClusterStore.of(flags.store, flags.user, flags.password) : defaultStore;
    Cluster c = new Cluster(store, flags.nodeId == null ? Cluster.defaultNodeId() : flags.nodeId, flags.lease);
    cluster = c;
    return List.of(c);
  }

  /** The cluster member this extension runs, once the Worker has asked for its services; else null. */
  public Cluster cluster() {
    return cluster;
  }
}
