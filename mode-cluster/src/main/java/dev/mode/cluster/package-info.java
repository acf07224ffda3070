/**
 * Mode for Java beyond one machine: a leader-only subtree ({@link dev.mode.cluster.LeaderService})
 * and once-per-cluster timers and cron ({@link dev.mode.cluster.ClusterOnce}), on a coordination
 * store chosen by configuration ({@link dev.mode.cluster.ClusterStore}).
 *
 * <p>{@link dev.mode.cluster.Cluster} is the one service that talks to the store: it holds the
 * store's connection, installs the {@link dev.mode.RunInterceptor} that gates once-per-cluster runs,
 * and owns the leases of its leader services. {@code LeaseRunner} (package-private) is the only
 * writer of a leader service's leadership state. {@link dev.mode.cluster.ClusterExtension} brings
 * the cluster options to the Worker's command line.
 */
package dev.mode.cluster;
