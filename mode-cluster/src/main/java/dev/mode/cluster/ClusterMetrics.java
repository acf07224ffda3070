package dev.mode.cluster;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Micrometer meters of one {@link Cluster} member, for any registry (the admin's Prometheus registry
 * binds it with {@code cluster.metrics().bindTo(registry)}):
 *
 * <ul>
 *   <li>{@code mode.cluster.leader{role}}: 1 while this replica holds a valid lease of the role, else 0
 *       (one gauge per leader service, also for those that start after the binding);
 *   <li>{@code mode.cluster.leadership.transitions}: leadership gained or lost, all roles;
 *   <li>{@code mode.cluster.once.runs}, {@code mode.cluster.once.skipped} (claimed elsewhere or job
 *       lock held), {@code mode.cluster.once.late} (fire time too old to claim), {@code
 *       mode.cluster.fenced.runs} (runs of leader-only services skipped without a valid lease);
 *   <li>{@code mode.cluster.store.errors}: store calls that failed.
 * </ul>
 *
 * Thread-safe; meters read atomics and never block.
 */
public final class ClusterMetrics implements MeterBinder {
  private final Cluster cluster;

  ClusterMetrics(Cluster cluster) {
    this.cluster = cluster;
  }

  /** The counts a member keeps; each written where it happens. */
  static final class Counters {
    final AtomicLong transitions = new AtomicLong();
    final AtomicLong onceRuns = new AtomicLong();
    final AtomicLong onceSkipped = new AtomicLong();
    final AtomicLong onceLate = new AtomicLong();
    final AtomicLong fencedRuns = new AtomicLong();
    final AtomicLong storeErrors = new AtomicLong();
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Counters c = cluster.counters();
    String node = cluster.nodeId();
    counter(registry, "mode.cluster.leadership.transitions", "Leadership gained or lost by this replica", c.transitions, node);
    counter(registry, "mode.cluster.once.runs", "Once-per-cluster runs done by this replica", c.onceRuns, node);
    counter(registry, "mode.cluster.once.skipped", "Once-per-cluster fire times left to another replica", c.onceSkipped, node);
    counter(registry, "mode.cluster.once.late", "Once-per-cluster fire times skipped as too late to claim", c.onceLate, node);
    counter(registry, "mode.cluster.fenced.runs", "Runs of leader-only services skipped without a valid lease", c.fencedRuns, node);
    counter(registry, "mode.cluster.store.errors", "Failed calls to the cluster store", c.storeErrors, node);
    cluster.bound(registry);
    for (LeaderService l : cluster.leaderServices()) leaderGauge(registry, l, node);
  }

  static void leaderGauge(MeterRegistry registry, LeaderService l, String node) {
    Gauge.builder("mode.cluster.leader", l, s -> s.isLeader() ? 1 : 0)
        .description("1 while this replica holds a valid lease of the role")
        .tag("role", l.role())
        .tag("node", node)
        .register(registry);
  }

  private static void counter(MeterRegistry registry, String name, String help, AtomicLong value, String node) {
    FunctionCounter.builder(name, value, AtomicLong::get).description(help).tag("node", node).register(registry);
  }
}
