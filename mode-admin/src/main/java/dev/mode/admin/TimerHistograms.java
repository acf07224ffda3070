package dev.mode.admin;

import dev.mode.Service;
import dev.mode.graph.DependencyGraph;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Micrometer {@link Timer} per timer or cron job and outcome, {@code mode.timer.run} (Prometheus:
 * {@code mode_timer_run_seconds}, tags {@code path}, {@code timer}, {@code outcome} = {@code success}
 * or {@code error}), fed with each run's runtime from {@link Service.Listener#timerRan}: a histogram
 * with fixed buckets from 1 ms to 10 min, from which Prometheus computes percentiles ({@code
 * histogram_quantile}; the Prometheus registry exports no client-side percentiles beside a
 * histogram, and those could not be aggregated anyway). The meters of a service
 * leave the registry when the service leaves the tree. Thread-safe: {@code timerRan} arrives on each
 * run's own thread.
 */
final class TimerHistograms implements Service.Listener {
  /**
   * Bucket bounds: Prometheus' usual ones from 1 ms to 10 s, then up to 10 min for slow jobs. Fixed
   * and few (16 a series), so a tree of thousands of timers stays cheap to scrape; Micrometer's
   * percentile histogram would add about 70 a series.
   */
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
    Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
    Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
    Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(10),
  };

  private final MeterRegistry registry;
  // service -> "timer/outcome" -> meter; identity keys (a service is its own identity)
  private final Map<Service, Map<String, Timer>> timers = new ConcurrentHashMap<>();

  TimerHistograms(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void timerRan(Service service, String timer, Duration lateness, Duration runtime, boolean overlapped, Throwable error) {
    String outcome = error == null ? "success" : "error";
    timers.computeIfAbsent(service, s -> new ConcurrentHashMap<>())
        .computeIfAbsent(timer + "/" + outcome, k -> register(service, timer, outcome))
        .record(runtime);
  }

  @Override
  public void dependencyRemoved(Service parent, Service dependency) {
    DependencyGraph.walk(dependency, (s, depth) -> {
      Map<String, Timer> gone = timers.remove(s);
      if (gone != null) gone.values().forEach(registry::remove);
    });
  }

  /** Removes every meter this listener registered. */
  void close() {
    timers.values().forEach(m -> m.values().forEach(registry::remove));
    timers.clear();
  }

  private Timer register(Service service, String timer, String outcome) {
    return Timer.builder("mode.timer.run")
        .description("How long each run of a timer or cron job took")
        .tags("path", service.path(), "timer", timer, "outcome", outcome)
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
  }
}
