package dev.mode.admin;

import dev.mode.RunInterceptor;
import dev.mode.Service;
import dev.mode.State;
import dev.mode.worker.ServicePaths;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Observes a service tree through Micrometer's Observation API, so that whatever handlers the
 * registry has (an OpenTelemetry or Brave tracing bridge, a meter handler) see Mode's work:
 *
 * <ul>
 *   <li>{@code mode.service.start}: one observation per service start, from STARTING to RUNNING (or
 *       CRASHED, with the crash reason as its error; or STOPPING, when a stop cut the start short,
 *       outcome {@code stopped}). A service's start is the child of its parent's start, so one
 *       start of the root is one trace with the tree's shape.
 *   <li>{@code mode.service.stop}: from STOPPING to SHUTDOWN (or CRASHED), the child of the parent's
 *       stop.
 *   <li>{@code mode.timer.run}: one per timer or cron run, around the body (through {@link
 *       RunInterceptor}), with the run's error if it threw. A run has no parent: each run is a trace
 *       of its own, and spans the body opens (an HTTP call, a query) are its children, since the
 *       observation is in scope on the run's thread while the body runs.
 * </ul>
 *
 * Low-cardinality keys: {@code mode.service} (the path), {@code outcome} (lifecycle), {@code
 * mode.job} and {@code mode.job.kind} (runs); runs also carry {@code mode.fire.time} as a
 * high-cardinality key.
 *
 * <pre>{@code
 * ObservationRegistry registry = ObservationRegistry.create();
 * registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
 * try (ModeObservations.Installation tracing = ModeObservations.install(registry, app)) {
 *   app.start();
 *   ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. Lifecycle observations are started and stopped on the thread that changes the
 * service's state (they are not put in scope there: a start runs user callbacks on several threads);
 * run observations on the run's own thread.
 */
public final class ModeObservations {
  private ModeObservations() {}

  /** What {@link #install} returns: closing it stops observing; closing twice does nothing. */
  public interface Installation extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Observes the tree under {@code root} (services added later included) in {@code registry} until
   * the returned installation is closed. Installing twice for one tree observes everything twice.
   *
   * @param registry where observations go; its handlers decide what becomes of them
   * @param root the top of the tree to observe
   * @return the installation, to close when done
   */
  public static Installation install(ObservationRegistry registry, Service root) {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(root, "root");
    Lifecycle lifecycle = new Lifecycle(registry);
    root.addListener(lifecycle);
    RunInterceptor.Registration runs = RunInterceptor.install((run, body) -> observeRun(registry, root, run, body));
    return new Installation() {
      private final AtomicBoolean closed = new AtomicBoolean();

      @Override
      public void close() {
        if (!closed.compareAndSet(false, true)) return;
        runs.close();
        root.removeListener(lifecycle);
      }
    };
  }

  private static void observeRun(ObservationRegistry registry, Service root, RunInterceptor.JobRun run, dev.mode.ThrowingRunnable body)
      throws Exception {
    if (!ServicePaths.isWithin(run.service(), root)) {
      body.run();
      return;
    }
    String path = run.service().path();
    Observation obs = Observation.createNotStarted("mode.timer.run", registry)
        .contextualName(run.kind() + " " + path + " " + run.name())
        .lowCardinalityKeyValue("mode.service", path)
        .lowCardinalityKeyValue("mode.job", run.name())
        .lowCardinalityKeyValue("mode.job.kind", run.kind())
        .highCardinalityKeyValue("mode.fire.time", run.fireTime().toString())
        .start();
    try (Observation.Scope scope = obs.openScope()) {
      body.run();
    } catch (Exception | Error e) {
      obs.error(e);
      throw e;
    } finally {
      obs.stop();
    }
  }

  /** Start and stop observations, opened and closed as states change. */
  private static final class Lifecycle implements Service.Listener {
    private final ObservationRegistry registry;
    private final Map<Service, Observation> starts = new ConcurrentHashMap<>();
    private final Map<Service, Observation> stops = new ConcurrentHashMap<>();

    Lifecycle(ObservationRegistry registry) {
      this.registry = registry;
    }

    @Override
    public void stateChanged(Service s, State from, State to) {
      switch (to) {
        case STARTING -> open(starts, s, "mode.service.start", "start");
        case RUNNING -> end(starts, s, "running", null);
        case STOPPING -> {
          end(starts, s, "stopped", null);
          open(stops, s, "mode.service.stop", "stop");
        }
        case SHUTDOWN -> end(stops, s, "shutdown", null);
        case CRASHED -> {
          Throwable reason = s.crashReason();
          end(starts, s, "crashed", reason);
          end(stops, s, "crashed", reason);
        }
        case INIT -> {
          // a reset for a restart: nothing is open then
        }
      }
    }

    private void open(Map<Service, Observation> open, Service s, String name, String verb) {
      Observation parent = s.parent().map(open::get).orElse(null);
      Observation obs = Observation.createNotStarted(name, registry)
          .contextualName(verb + " " + s.path())
          .lowCardinalityKeyValue("mode.service", s.path());
      if (parent != null) obs.parentObservation(parent);
      Observation previous = open.put(s, obs.start());
      // a state change we never heard the end of (the listener came late): close it, or it leaks
      if (previous != null) previous.lowCardinalityKeyValue("outcome", "unknown").stop();
    }

    private static void end(Map<Service, Observation> open, Service s, String outcome, Throwable error) {
      Observation obs = open.remove(s);
      if (obs == null) return;
      obs.lowCardinalityKeyValue("outcome", outcome);
      if (error != null) obs.error(error);
      obs.stop();
    }
  }
}
