package dev.mode.time;

import java.time.Duration;
import java.time.Instant;

/**
 * The one clock through which Mode sleeps and schedules: {@code Service.sleep}, timers,
 * cron jobs, stop timeouts and supervisor back-off all read it. Production code uses {@link
 * #system()}; tests give a service tree a {@link ManualClock} with {@code setClock} and drive time
 * by hand.
 *
 * <p>Implementations are thread-safe. {@link #schedule} runs its action on a clock thread (the system
 * clock) or on the thread that advances the clock ({@link ManualClock}); actions must be short and
 * must not block.
 */
public interface ModeClock {

  /** The system clock: {@link System#nanoTime()}, {@link Instant#now()}, one shared timer thread. */
  static ModeClock system() {
    return SystemClock.INSTANCE;
  }

  /** Monotonic time in nanoseconds; only differences are meaningful. */
  long nanoTime();

  /** Wall-clock time, for cron and for showing when things happen. */
  Instant instant();

  /**
   * Parks the calling thread until {@link #nanoTime()} reaches {@code deadlineNanos}, or until it is
   * unparked or interrupted. May return early; callers re-check their condition and the time.
   */
  void parkUntil(long deadlineNanos);

  /**
   * Runs {@code action} once {@link #nanoTime()} reaches {@code deadlineNanos} (at once if it has).
   * Actions due at the same time run in the order they were scheduled.
   */
  Scheduled schedule(long deadlineNanos, Runnable action);

  /**
   * {@link #schedule} again after an action scheduled here has run: the same as {@code
   * schedule(deadlineNanos, action)}, except that the clock may reuse {@code ran}'s handle (and
   * return it) instead of making a new one, so that a timer that re-arms itself after each run
   * allocates nothing per run. {@code ran} must be a handle from this clock whose action has
   * run (not one that was cancelled), and nobody may use it any more except through the result.
   */
  default Scheduled reschedule(Scheduled ran, long deadlineNanos, Runnable action) {
    return schedule(deadlineNanos, action);
  }

  /** The wall-clock instant at which monotonic time {@code nanos} falls (or fell). */
  default Instant instantAt(long nanos) {
    return instant().plusNanos(nanos - nanoTime());
  }

  /**
   * {@code nanoTime() + d}, saturating at {@link Long#MAX_VALUE} instead of overflowing (a duration
   * too long for nanoseconds, {@code ChronoUnit.FOREVER} included, saturates too).
   */
  default long deadlineAfter(Duration d) {
    long now = nanoTime();
    long n = saturatedNanos(d);
    long sum = now + n;
    return ((now ^ sum) & (n ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }

  // the same saturation as dev.mode.Durations.toNanosSaturated, inlined so that this package
  // depends on nothing in dev.mode (dev.mode depends on it)
  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  /**
   * Brackets work that a scheduled action hands to another thread (a timer's run, up to and including
   * its re-arming), so that a {@link ManualClock} can let it finish before moving time on. The
   * worker thread calls {@link Work#started()} when it begins and {@link Work#close()} when it is
   * done. The system clock returns a shared no-op.
   */
  default Work beginWork() {
    return Work.NONE;
  }

  /** Work handed off by a scheduled action; see {@link #beginWork()}. */
  interface Work extends AutoCloseable {
    /** A handle that tracks nothing. */
    Work NONE =
        new Work() {
          @Override
          public void started() {}

          @Override
          public void close() {}
        };

    /** Called on the thread that does the work, when it begins. */
    void started();

    /** Called when the work is done; exactly once. */
    @Override
    void close();
  }

  /** A pending {@link #schedule} action. */
  interface Scheduled {
    /** Cancels the action; true if it had not run yet. Safe from any thread, any number of times. */
    boolean cancel();
  }
}
