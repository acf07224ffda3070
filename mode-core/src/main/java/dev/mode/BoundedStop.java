package dev.mode;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.MDC;

/**
 * Makes every stop return, whatever user code does (SPEC §3): the stop steps run on a helper virtual
 * thread while the caller watches it. When {@code onStop}, {@code onShutdown} or a closeable's {@code
 * close()} has not returned after its service's stop timeout, the caller logs it at WARN with the
 * helper's current stack, abandons that thread (left running) and starts a new helper, which takes
 * over the stop where the stuck step was ({@link Stopping}).
 *
 * <p>One helper per {@code stop()} call, not per callback: a thread per callback cost several
 * microseconds each, five times what a 10,000-service stop takes today. A stop called from a callback
 * already on a helper runs inline, watched by the same caller.
 */
final class BoundedStop {
  private static final ThreadLocal<Watch> WATCH = new ThreadLocal<>();
  // threads that overran a stop step: any stop may take over the runs they own
  private static final Set<Thread> ABANDONED = ConcurrentHashMap.newKeySet();
  // how often a caller looks at a helper with no bounded step running
  private static final long POLL_NANOS = Duration.ofMillis(100).toNanos();

  private BoundedStop() {}

  /** The bounded step a helper runs now: the callback or close, whose service, since when. */
  private record Step(Service service, String what, Thread thread, long since, long limit) {}

  /** One stop call: its caller, the helper doing the work, and the step to bound. */
  private static final class Watch {
    final Thread caller;
    final Service callerService;
    final Map<String, String> mdc;
    volatile Thread helper;
    volatile Step current;
    volatile boolean done; // the last helper finished the stop

    Watch(Thread caller, Service callerService, Map<String, String> mdc) {
      this.caller = caller;
      this.callerService = callerService;
      this.mdc = mdc;
    }
  }

  /**
   * Runs {@code work} (stop steps of {@code target}) on a helper thread and returns when it is done,
   * handing the stop of {@code target} to a new helper each time one overruns a bounded step.
   */
  static void run(Lifecycle target, Runnable work) {
    if (WATCH.get() != null) {
      work.run(); // already on a helper: its caller bounds this too
      return;
    }
    Watch w = new Watch(Thread.currentThread(), Callback.current(), MDC.getCopyOfContextMap());
    Service s = target.service;
    w.helper = start(w, s, work);
    if (endsSoon(w)) return;
    boolean interrupted = false;
    try {
      for (;;) {
        Thread h = w.helper;
        Step st = w.current;
        long wait = POLL_NANOS;
        if (st != null && st.thread == h) wait = Math.min(wait, st.since + st.limit - System.nanoTime());
        if (wait > 0) {
          try {
            if (h.join(Duration.ofNanos(wait)) && h == w.helper) return;
          } catch (InterruptedException e) {
            interrupted = true; // a stop is not given up on interrupt; the flag is set again at the end
          }
          continue;
        }
        if (w.current != st || w.helper != h) continue;
        warn(st, h);
        ABANDONED.add(h);
        w.current = null;
        w.helper = start(w, s, () -> Stopping.stopHere(target));
      }
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  // how long a caller looks for the end of a stop before it parks: most stops take microseconds,
  // and a park (a timer for a virtual caller, a futex for a platform one) plus the wake-up cost
  // more than the stop
  private static final long SPIN_NANOS = 50_000;

  // true if the stop ended within SPIN_NANOS; a virtual caller yields its carrier, which the helper may need
  private static boolean endsSoon(Watch w) {
    boolean virtual = Thread.currentThread().isVirtual();
    long end = System.nanoTime() + SPIN_NANOS;
    while (!w.done) {
      if (System.nanoTime() - end > 0) return false;
      if (virtual) Thread.yield();
      else Thread.onSpinWait();
    }
    return true;
  }

  private static Thread start(Watch w, Service s, Runnable work) {
    return Thread.ofVirtual()
        .name(s.path() + ":stop")
        .start(
            () -> {
              WATCH.set(w);
              if (w.callerService != null) Callback.adopt(w.callerService);
              if (w.mdc != null) MDC.setContextMap(w.mdc);
              try {
                work.run();
              } catch (Throwable t) {
                s.log.error("Stop failed; the stop goes on", t);
              } finally {
                ABANDONED.remove(Thread.currentThread());
                if (w.helper == Thread.currentThread()) w.done = true;
              }
            });
  }

  private static void warn(Step st, Thread h) {
    Throwable where = new Throwable("stack of " + h.getName());
    where.setStackTrace(h.getStackTrace());
    st.service.log.warn(
        "{} did not return within the stop timeout ({}); the stop goes on without it",
        st.what,
        Durations.format(Duration.ofNanos(st.limit)),
        where);
  }

  static boolean isAbandoned(Thread t) {
    return !ABANDONED.isEmpty() && ABANDONED.contains(t);
  }

  /** The thread that called the stop this helper works for (a task of the service, perhaps), or null. */
  static Thread caller() {
    Watch w = WATCH.get();
    return w == null ? null : w.caller;
  }

  /** Runs a stop callback of {@code s}, bounded by its stop timeout; a failure is logged. */
  static void callback(Service s, Callback c) {
    if (!c.overriddenBy(s)) return;
    Step prev = begin(s, c.method);
    try {
      c.callLogged(s);
    } finally {
      end(prev);
    }
  }

  /** Closes {@code c}, bounded by the stop timeout of {@code s}; a failure is logged. */
  static void close(Service s, AutoCloseable c) {
    Step prev = begin(s, "close() of " + c);
    try {
      c.close();
    } catch (Throwable t) {
      s.log.error("Closing {} failed; the stop goes on", c, t);
    } finally {
      end(prev);
    }
  }

  private static Step begin(Service s, String what) {
    Watch w = WATCH.get();
    if (w == null) return null;
    Step prev = w.current;
    long limit = Durations.toNanosSaturated(s.stopTimeout());
    w.current = new Step(s, what, Thread.currentThread(), System.nanoTime(), limit);
    return prev;
  }

  private static void end(Step prev) {
    Watch w = WATCH.get();
    if (w != null && w.helper == Thread.currentThread()) w.current = prev;
  }
}
