package dev.mode.cluster;

import dev.mode.RunInterceptor;
import dev.mode.Service;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import net.javacrumbs.shedlock.core.LockProvider;

/**
 * This replica's membership of a cluster: the service that connects to the {@link ClusterStore},
 * gates {@link ClusterOnce} runs (through the core's {@link RunInterceptor}) and serves the leases of
 * the {@link LeaderService}s in its tree. Under a Worker, {@link ClusterExtension} adds it by itself
 * from the command line, before the user's services, so it starts first and stops last.
 *
 * <p>Timings follow from the lease duration {@code L} (default 15 s, Kubernetes' default): a leader
 * renews every {@code L/5}; a replica that is not leader tries to take the lease every {@code L/5};
 * the safety margin is {@code L/3}: a leader whose last successful renewal was sent more than {@code
 * L - L/3} ago stops its leader-only services, so they are stopped before the store could grant the
 * lease elsewhere (at {@code L} after that renewal), provided they stop within the margin and the
 * clocks of the replicas and store run at the same rate. A killed leader is replaced within {@code L
 * + L/5} plus the start of the leader-only services.
 *
 * <p>Thread-safety: configured before start; every query may be called from any thread.
 */
public final class Cluster extends Service implements MeterBinder {
  private static final Set<Cluster> RUNNING = new CopyOnWriteArraySet<>();

  private final ClusterStore store;
  private final String nodeId;
  private final Duration lease;
  private final Set<LeaderService> leaders = new CopyOnWriteArraySet<>();
  private final ClusterMetrics.Counters counters = new ClusterMetrics.Counters();
  private final Set<MeterRegistry> registries = new CopyOnWriteArraySet<>();
  private volatile RunInterceptor.Registration interception;

  /** A cluster member on {@code store}, with a node id from the host name and process id and a 15 s lease. */
  public Cluster(ClusterStore store) {
    this(store, defaultNodeId(), Duration.ofSeconds(15));
  }

  /**
   * A cluster member.
   *
   * @param nodeId this replica's name in every lock: unique among the replicas
   * @param lease how long a leader's lease lasts without renewal (at least 300 ms)
   * @throws IllegalArgumentException if the lease is shorter than 300 ms or the node id is blank
   */
  public Cluster(ClusterStore store, String nodeId, Duration lease) {
    this.store = Objects.requireNonNull(store, "store");
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    this.lease = Objects.requireNonNull(lease, "lease");
    if (nodeId.isBlank()) throw new IllegalArgumentException("Invalid node id \"\": use a name unique among the replicas");
    if (lease.compareTo(Duration.ofMillis(300)) < 0) {
      throw new IllegalArgumentException(
          "Invalid lease " + lease + ": use at least 300ms (for example 15s, the default)");
    }
  }

  /** {@code host-pid}: unique among replicas on different hosts and among processes on one host. */
  public static String defaultNodeId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "unknown-host";
    }
    return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
  }

  @Override
  public String label() {
    return "Cluster";
  }

  /** This replica's node id. */
  public String nodeId() {
    return nodeId;
  }

  /** The store this member coordinates through. */
  public ClusterStore store() {
    return store;
  }

  /** How long a lease lasts without renewal. */
  public Duration lease() {
    return lease;
  }

  /** How often a leader renews and a follower tries to take the lease: a fifth of the lease. */
  public Duration renewEvery() {
    return lease.dividedBy(5);
  }

  /** How long before its lease could be granted elsewhere a leader steps down: a third of the lease. */
  public Duration safetyMargin() {
    return lease.dividedBy(3);
  }

  /** The leader services this member serves, in no particular order. */
  public List<LeaderService> leaderServices() {
    return List.copyOf(leaders);
  }

  /** Micrometer meters of this member: leadership per role, transitions, once-per-cluster runs. */
  public ClusterMetrics metrics() {
    return new ClusterMetrics(this);
  }

  /**
   * Binds {@link #metrics()} to {@code registry}: a registry that binds every {@link MeterBinder}
   * service of the tree (the admin's) shows the cluster's meters without knowing this module.
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    metrics().bindTo(registry);
  }

  void bound(MeterRegistry registry) {
    registries.add(registry);
  }

  @Override
  protected void onStart() throws Exception {
    store.open(nodeId);
    RUNNING.add(this);
    interception = RunInterceptor.install(new OnceInterceptor(this));
    log().info("Member {} of the cluster on {} (lease {}, renewal every {}, safety margin {})",
        nodeId, store.describe(), lease, renewEvery(), safetyMargin());
  }

  @Override
  protected void onShutdown() {
    RunInterceptor.Registration r = interception;
    interception = null;
    if (r != null) r.close();
    RUNNING.remove(this);
    store.close();
  }

  LockProvider locks() {
    return store.locks();
  }

  ClusterMetrics.Counters counters() {
    return counters;
  }

  void register(LeaderService leader) {
    if (leaders.add(leader)) {
      for (MeterRegistry r : registries) ClusterMetrics.leaderGauge(r, leader, nodeId);
    }
  }

  void unregister(LeaderService leader) {
    leaders.remove(leader);
  }

  /** True if this member coordinates the runs of {@code service}: it is in this member's tree. */
  boolean governs(Service service) {
    return service.beacon().root().service() == beacon().root().service();
  }

  /**
   * The running member that coordinates {@code service}: the one in its service tree, else the only
   * one running in the process; empty if none (or several, none in its tree).
   */
  static Optional<Cluster> serving(Service service) {
    Cluster only = null;
    int n = 0;
    for (Cluster c : RUNNING) {
      if (c.governs(service)) return Optional.of(c);
      only = c;
      n++;
    }
    return n == 1 ? Optional.of(only) : Optional.empty();
  }

  private org.slf4j.Logger log() {
    return org.slf4j.LoggerFactory.getLogger(Cluster.class);
  }
}
