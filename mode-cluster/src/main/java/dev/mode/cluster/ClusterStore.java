package dev.mode.cluster;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Objects;
import javax.sql.DataSource;
import net.javacrumbs.shedlock.core.LockProvider;

/**
 * Where the replicas of a program coordinate: the store that holds the leader leases and the
 * once-per-cluster locks. Built by the static factories; handed to {@link Cluster}, which opens it at
 * its start and closes it at its stop. The locking itself is ShedLock's ({@code LockProvider} with
 * extension), each lock recorded with the replica's node id so that two replicas on one host never
 * take each other's lease for their own.
 *
 * <p>Thread-safety: the store is opened and closed by its {@link Cluster}; in between, every method
 * may be called from any thread.
 */
public abstract class ClusterStore implements AutoCloseable {
  ClusterStore() {}

  /**
   * A JDBC database reached through {@code dataSource} (PostgreSQL in production, H2 for local
   * runs). The table {@code mode_cluster_lock} is created if missing. The data source stays the
   * caller's: closing the store does not close it.
   */
  public static ClusterStore jdbc(DataSource dataSource) {
    return new JdbcStore(Objects.requireNonNull(dataSource, "dataSource"), null, "JDBC data source");
  }

  /**
   * A JDBC database reached at {@code url} (for example {@code jdbc:postgresql://db:5432/app} or
   * {@code jdbc:h2:tcp://host/./cluster}) through a small connection pool that the store owns and
   * closes. The driver must be on the class path (H2's is).
   *
   * @param user null for none
   * @param password null for none
   * @throws IllegalArgumentException if {@code url} does not start with {@code jdbc:}
   */
  public static ClusterStore jdbc(String url, String user, String password) {
    Objects.requireNonNull(url, "url");
    if (!url.startsWith("jdbc:")) {
      throw new IllegalArgumentException(
          "Invalid cluster store URL \"" + url + "\": use a JDBC URL such as jdbc:postgresql://host:5432/db or jdbc:h2:mem:cluster, or zookeeper://host:2181, or kubernetes://namespace");
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    if (user != null) config.setUsername(user);
    if (password != null) config.setPassword(password);
    config.setPoolName("mode-cluster");
    config.setMaximumPoolSize(4);
    config.setMinimumIdle(1);
    // Bounded waits: a leader that cannot reach the store steps down by its deadline whatever this
    // wait is (the leadership loop does not wait on the store); this bound only keeps threads free.
    config.setConnectionTimeout(5_000);
    config.setValidationTimeout(1_000);
    config.setInitializationFailTimeout(-1);
    return new JdbcStore(null, config, url);
  }

  /**
   * A ZooKeeper ensemble at {@code connect} ({@code host:2181,host2:2181}, optionally with a chroot:
   * {@code host:2181/app}), reached through Apache Curator. Locks live under {@code
   * /mode-cluster/locks}.
   *
   * @throws IllegalArgumentException if {@code connect} is blank
   */
  public static ClusterStore zookeeper(String connect) {
    Objects.requireNonNull(connect, "connect");
    if (connect.isBlank()) {
      throw new IllegalArgumentException("Invalid ZooKeeper address \"\": use host:port[,host:port][/chroot], for example zk1:2181,zk2:2181");
    }
    return new ZooKeeperStore(connect);
  }

  /**
   * Kubernetes {@code Lease} objects (coordination.k8s.io/v1) in {@code namespace} (null: the
   * client's namespace, which in a pod is the pod's own), through the fabric8 client configured as
   * usual (in a pod: its service account; else the kubeconfig or the {@code kubernetes.*} system
   * properties). The pod's service account needs get, create and update on {@code leases}.
   */
  public static ClusterStore kubernetes(String namespace) {
    return new KubernetesStore(namespace == null || namespace.isBlank() ? null : namespace);
  }

  /**
   * The store a URL names: {@code zookeeper://host:port[,host:port][/chroot]}, {@code
   * kubernetes://[namespace]} or a JDBC URL (see {@link #jdbc(String, String, String)}); the
   * credentials apply to JDBC only.
   *
   * @throws IllegalArgumentException if the URL is neither, naming it and the accepted forms
   */
  public static ClusterStore of(String url, String user, String password) {
    Objects.requireNonNull(url, "url");
    if (url.startsWith("zookeeper://")) return zookeeper(url.substring("zookeeper://".length()));
    if (url.startsWith("kubernetes://")) return kubernetes(url.substring("kubernetes://".length()));
    return jdbc(url, user, password);
  }

  /**
   * An H2 database in this process's memory: a cluster of one, for local development and tests of
   * one process (every {@link Cluster} of the process shares it, so several in one JVM coordinate).
   */
  public static ClusterStore h2InMemory() {
    return jdbc("jdbc:h2:mem:mode-cluster;DB_CLOSE_DELAY=-1", "sa", "");
  }

  /** Connects, creating what the store needs; {@code nodeId} names this replica in every lock. */
  abstract void open(String nodeId) throws Exception;

  /** The lock provider, once open; its locks can be extended. */
  abstract LockProvider locks();

  /** A description for logs and the service tree, without credentials. */
  public abstract String describe();

  /** Disconnects; closing twice does nothing. */
  @Override
  public abstract void close();

  static HikariDataSource pool(HikariConfig config) {
    return new HikariDataSource(config);
  }
}
