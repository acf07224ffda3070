package dev.mode;

import java.lang.reflect.Method;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Wraps every timer and cron run in the process: the one extension point for code that must act
 * around a run without the service knowing (tracing spans, once-per-cluster locks, metrics).
 *
 * <p>An interceptor is installed process-wide with {@link #install}; interceptors nest in the order
 * installed (the first installed is outermost). Each is called on the run's own virtual thread, with
 * the service's MDC and {@link Service#current()} set, and must call {@code body.run()} at most once.
 * Not calling it skips this run's body: the run is still counted in {@link Service#timers()} and
 * heard by listeners (its runtime is the interceptor's), and the next run is armed as usual. An
 * exception from the interceptor or the body is the run's failure (a crash unless the job opted into
 * log-and-continue). Runs of one job never overlap, interceptor included. With no interceptor
 * installed, a run costs nothing extra.
 *
 * <pre>{@code
 * try (RunInterceptor.Registration r = RunInterceptor.install((run, body) -> {
 *   log.info("{} {} for {}", run.kind(), run.name(), run.fireTime());
 *   body.run();
 * })) {
 *   app.start();
 *   ...
 * }
 * }</pre>
 */
@FunctionalInterface
public interface RunInterceptor {

  /**
   * Runs (or skips) one run's {@code body}.
   *
   * @param run what is about to run
   * @param body the user's timer or cron body; call {@code run()} at most once
   */
  void around(JobRun run, ThrowingRunnable body) throws Exception;

  /**
   * Installs {@code interceptor} for every timer and cron run in the process that begins after this
   * returns, until the registration is closed. Thread-safe.
   */
  static Registration install(RunInterceptor interceptor) {
    return RunInterceptors.install(Objects.requireNonNull(interceptor, "interceptor"));
  }

  /**
   * One run of a timer or cron job, as an interceptor sees it.
   *
   * @param service the service whose job runs
   * @param name the job's name (the method name for annotated jobs)
   * @param kind {@code "timer"} or {@code "cron"}
   * @param fireTime the wall-clock time this run is for: a cron job's fire time, or a timer's slot
   *     (its first run plus whole intervals), which the actual start may miss by the drift
   * @param method the annotated method, empty for a job added with {@code addTimer}/{@code addCron}
   */
  record JobRun(Service service, String name, String kind, Instant fireTime, Optional<Method> method) {}

  /** Removes an installed interceptor; closing twice does nothing. */
  interface Registration extends AutoCloseable {
    @Override
    void close();
  }
}
