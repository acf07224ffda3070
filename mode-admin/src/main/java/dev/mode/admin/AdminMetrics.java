package dev.mode.admin;

import dev.mode.Service;
import dev.mode.State;
import dev.mode.TimerInfo;
import dev.mode.graph.DependencyGraph;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Prometheus registry behind {@code GET /metrics}: per-service and per-timer meters, kept in step
 * with the service tree at every scrape (meters of services that left the tree are removed), plus
 * Micrometer's JVM binders and its virtual-thread binder. Thread-safe: syncing is done under a lock
 * that is never held while service code runs (meters only read snapshots).
 */
final class AdminMetrics implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminMetrics.class);

  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Service root;
  private final LifecycleLog lifecycle;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<Service, Bound> bound = new IdentityHashMap<>(); // guarded by lock
  private final List<AutoCloseable> binders = new ArrayList<>();

  /** The meters of one service, and the timers they already cover. */
  private record Bound(List<Meter> meters, Set<String> timers) {}

  AdminMetrics(Service root, LifecycleLog lifecycle, BooleanSupplier ready) {
    this.root = root;
    this.lifecycle = lifecycle;
    lintClean();
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    binders.add(gc);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new JvmInfoMetrics().bindTo(registry);
    bindVirtualThreadScheduler();
    Gauge.builder("mode.admin.ready", ready, r -> r.getAsBoolean() ? 1 : 0)
        .description("1 while GET /health/ready answers 200, else 0")
        .strongReference(true)
        .register(registry);
  }

  // `promtool check metrics` flags two of ProcessorMetrics' names: process_cpu_time_ns_total (an
  // abbreviated unit) and system_cpu_count (a "_count" suffix on a gauge). Register them under the
  // names Prometheus's own client uses instead: process_cpu_seconds_total and system_cpus.
  private void lintClean() {
    registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")));
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
      }
    });
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      FunctionCounter.builder("process.cpu", os, o -> o.getProcessCpuTime() / 1e9)
          .baseUnit("seconds")
          .description("CPU time used by the JVM process")
          .register(registry);
    }
  }

  // Micrometer 1.17.2 has no virtual-thread binder in micrometer-core (and micrometer-java21 1.17.2
  // does not resolve), so read the JDK 24+ scheduler MXBean by name: no compile-time dependency on
  // a JDK newer than 21, and on 21 (where it does not exist) these meters are simply absent.
  private void bindVirtualThreadScheduler() {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name;
    try {
      name = new ObjectName("jdk.management:type=VirtualThreadScheduler");
    } catch (MalformedObjectNameException e) {
      throw new IllegalStateException(e);
    }
    if (!server.isRegistered(name)) return;
    String[][] meters = {
      {"jvm.threads.virtual.mounted", "MountedVirtualThreadCount", "Virtual threads mounted on a carrier now"},
      {"jvm.threads.virtual.queued", "QueuedVirtualThreadCount", "Virtual threads queued to the scheduler, waiting for a carrier"},
      {"jvm.threads.virtual.scheduler.parallelism", "Parallelism", "Target parallelism of the virtual-thread scheduler"},
      {"jvm.threads.virtual.scheduler.pool.size", "PoolSize", "Carrier threads the scheduler has started"},
    };
    for (String[] m : meters) {
      String attribute = m[1];
      Gauge.builder(m[0], server, sv -> {
            try {
              return ((Number) sv.getAttribute(name, attribute)).doubleValue();
            } catch (JMException | RuntimeException e) {
              return Double.NaN;
            }
          })
          .description(m[2])
          .strongReference(true)
          .register(registry);
    }
  }

  // A service that is a MeterBinder (mode-cluster's Cluster, or a user's) brings meters of its own:
  // bound once when it joins the tree, removed with its other meters when it leaves.
  private void bindOwn(Service s, MeterBinder binder, Bound b) {
    Set<Meter> before = Collections.newSetFromMap(new IdentityHashMap<>());
    before.addAll(registry.getMeters());
    try {
      binder.bindTo(registry);
    } catch (RuntimeException e) {
      LOG.warn("The meters of {} could not be bound", s.path(), e);
    }
    for (Meter m : registry.getMeters()) if (!before.contains(m)) b.meters().add(m);
  }

  /** Brings the meters in step with the tree, then renders every meter in Prometheus text format. */
  String scrape() {
    sync();
    return registry.scrape();
  }

  /** Adds meters for services and timers new to the tree and removes those of services gone from it. */
  void sync() {
    List<Service> entries = new ArrayList<>();
    DependencyGraph.walk(root, (s, depth) -> entries.add(s));
    lock.lock();
    try {
      Set<Service> present = Collections.newSetFromMap(new IdentityHashMap<>());
      for (Service s : entries) {
        present.add(s);
        Bound b = bound.get(s);
        if (b == null) {
          b = new Bound(new ArrayList<>(), new HashSet<>());
          bindService(s, b);
          if (s instanceof MeterBinder binder) bindOwn(s, binder, b);
          bound.put(s, b);
        }
        for (TimerInfo t : s.timers()) {
          if (b.timers().add(t.name())) bindTimer(s, t.name(), b);
        }
      }
      for (Iterator<Map.Entry<Service, Bound>> it = bound.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<Service, Bound> e = it.next();
        if (!present.contains(e.getKey())) {
          for (Meter m : e.getValue().meters()) registry.remove(m);
          it.remove();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private void bindService(Service s, Bound b) {
    String path = s.path();
    List<Meter> m = b.meters();
    for (State state : State.values()) {
      m.add(Gauge.builder("mode.service.state", s, x -> x.state() == state ? 1 : 0)
          .description("1 for the state the service is in, 0 for the others")
          .tags("path", path, "state", state.name())
          .strongReference(true)
          .register(registry));
    }
    m.add(FunctionCounter.builder("mode.service.restarts", s, Service::restartCount)
        .description("Times the service was reset for a restart")
        .tags("path", path)
        .register(registry));
    m.add(FunctionCounter.builder("mode.service.crashes", s, lifecycle::crashes)
        .description("Crashes of the service since the admin started")
        .tags("path", path)
        .register(registry));
    m.add(timeGauge("mode.service.start.duration", s, path, "How long the last start took", x -> seconds(x.startDuration())));
    m.add(timeGauge("mode.service.stop.duration", s, path, "How long the last stop took", x -> seconds(x.stopDuration())));
    m.add(timeGauge("mode.service.uptime", s, path, "How long the service has been RUNNING (0 unless RUNNING)", x -> seconds(x.uptime())));
    m.add(Gauge.builder("mode.service.tasks", s, x -> x.tasks().size())
        .description("Live tasks and timer runs in progress")
        .tags("path", path)
        .strongReference(true)
        .register(registry));
  }

  private Meter timeGauge(String name, Service s, String path, String description, ToDoubleFunction<Service> secondsOf) {
    return TimeGauge.builder(name, s, TimeUnit.SECONDS, secondsOf)
        .description(description)
        .tags("path", path)
        .strongReference(true)
        .register(registry);
  }

  private void bindTimer(Service s, String timer, Bound b) {
    String path = s.path();
    List<Meter> m = b.meters();
    m.add(FunctionCounter.builder("mode.timer.runs", s, x -> timerValue(x, timer, TimerInfo::runs))
        .description("Runs started").tags("path", path, "timer", timer).register(registry));
    m.add(FunctionCounter.builder("mode.timer.overlaps", s, x -> timerValue(x, timer, TimerInfo::overlaps))
        .description("Runs that took longer than the interval").tags("path", path, "timer", timer).register(registry));
    m.add(FunctionCounter.builder("mode.timer.drifts", s, x -> timerValue(x, timer, TimerInfo::driftsLate))
        .description("Wake-ups that came late or early by at least min(30% of interval, 1.2 s)")
        .tags("path", path, "timer", timer, "direction", "late").register(registry));
    m.add(FunctionCounter.builder("mode.timer.drifts", s, x -> timerValue(x, timer, TimerInfo::driftsEarly))
        .description("Wake-ups that came late or early by at least min(30% of interval, 1.2 s)")
        .tags("path", path, "timer", timer, "direction", "early").register(registry));
    m.add(FunctionCounter.builder("mode.timer.errors", s, x -> timerValue(x, timer, TimerInfo::errors))
        .description("Runs that ended with an exception").tags("path", path, "timer", timer).register(registry));
    m.add(TimeGauge.builder("mode.timer.last.duration", s, TimeUnit.SECONDS,
            x -> timer(x, timer).map(t -> seconds(t.lastDuration())).orElse(0.0))
        .description("How long the last finished run took").tags("path", path, "timer", timer)
        .strongReference(true).register(registry));
  }

  private static double timerValue(Service s, String name, ToLongFunction<TimerInfo> f) {
    return timer(s, name).map(t -> (double) f.applyAsLong(t)).orElse(0.0);
  }

  private static Optional<TimerInfo> timer(Service s, String name) {
    for (TimerInfo t : s.timers()) if (t.name().equals(name)) return Optional.of(t);
    return Optional.empty();
  }

  private static double seconds(Optional<Duration> d) {
    return d.map(x -> x.toNanos() / 1e9).orElse(0.0);
  }

  @Override
  public void close() {
    for (AutoCloseable c : binders) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("Closing {} failed", c, e);
      }
    }
    registry.close();
  }
}
