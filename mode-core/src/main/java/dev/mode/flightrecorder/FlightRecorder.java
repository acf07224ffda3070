package dev.mode.flightrecorder;

import dev.mode.Durations;
import dev.mode.time.ModeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.MessageFormatter;

/**
 * Keeps the log of an operation quiet unless it runs too long (Mode's {@code flight_recorder}):
 * lines logged through a {@link Recording} are buffered; if the operation is still running when its
 * timeout expires, the recorder logs a warning, every buffered line (at its own level, with its time
 * since the start) and the operation thread's current stack, and from then on the recording's lines
 * go straight to the log. If the operation ends in time, the buffered lines are dropped.
 *
 * <pre>{@code
 * FlightRecorder recorder = new FlightRecorder(log, Duration.ofSeconds(30), clock());
 * try (FlightRecorder.Recording rec = recorder.start("sync users")) {
 *   rec.info("Fetching page {}", page);
 *   fetch(page);                      // if this hangs, the lines above are printed with its stack
 *   rec.info("Fetched {} users", n);  // printed at once if the timeout already fired
 * }
 * }</pre>
 *
 * <p>The timeout is measured on the given {@link ModeClock} (a service's {@code clock()}, so a
 * {@code ManualClock} drives it in tests); the dump runs on a virtual thread of its own. Thread-safe:
 * a recording may be logged to from any thread. Lines are never lost or reordered around the dump:
 * buffered lines come first, then the stack, then lines logged after it.
 */
public final class FlightRecorder {
  private final Logger logger;
  private final Duration timeout;
  private final ModeClock clock;

  /** A recorder on the system clock. */
  public FlightRecorder(Logger logger, Duration timeout) {
    this(logger, timeout, ModeClock.system());
  }

  /**
   * A recorder that logs to {@code logger} the operations that take longer than {@code timeout} on
   * {@code clock}.
   *
   * @throws IllegalArgumentException if {@code timeout} is not positive
   */
  public FlightRecorder(Logger logger, Duration timeout, ModeClock clock) {
    this.logger = Objects.requireNonNull(logger, "logger");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(
          "Flight recorder timeout must be positive, got " + Durations.format(timeout));
    }
  }

  /** The timeout after which a recording is printed. */
  public Duration timeout() {
    return timeout;
  }

  /**
   * Starts recording {@code operation}, run by the calling thread (whose stack a dump shows). Close
   * the recording when the operation ends (try-with-resources).
   */
  public Recording start(String operation) {
    return new Recording(Objects.requireNonNull(operation, "operation"), Thread.currentThread());
  }

  /** The log of one operation; see {@link FlightRecorder}. Thread-safe. */
  public final class Recording implements AutoCloseable {
    private final String operation;
    private final Thread thread;
    private final long startNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final ModeClock.Scheduled timer;
    // guarded by lock
    private List<Line> buffer = new ArrayList<>();
    private boolean fired;
    private boolean closed;

    private Recording(String operation, Thread thread) {
      this.operation = operation;
      this.thread = thread;
      this.startNanos = clock.nanoTime();
      this.timer = clock.schedule(clock.deadlineAfter(timeout), this::expire);
    }

    /** Logs (or buffers) at TRACE, with SLF4J's {@code {}} placeholders. */
    public void trace(String format, Object... args) {
      log(Level.TRACE, format, args);
    }

    /** Logs (or buffers) at DEBUG. */
    public void debug(String format, Object... args) {
      log(Level.DEBUG, format, args);
    }

    /** Logs (or buffers) at INFO. */
    public void info(String format, Object... args) {
      log(Level.INFO, format, args);
    }

    /** Logs (or buffers) at WARN. */
    public void warn(String format, Object... args) {
      log(Level.WARN, format, args);
    }

    /** Logs (or buffers) at ERROR; a last {@link Throwable} argument is logged with its stack. */
    public void error(String format, Object... args) {
      log(Level.ERROR, format, args);
    }

    /** Logs (or buffers) at {@code level}. */
    public void log(Level level, String format, Object... args) {
      Objects.requireNonNull(level, "level");
      FormattingTuple t = MessageFormatter.arrayFormat(format, args);
      Line line = new Line(level, clock.nanoTime() - startNanos, t.getMessage(), t.getThrowable());
      lock.lock();
      try {
        // buffered only while the operation runs within its timeout; once the dump fired or the
        // recording ended, a line is an ordinary log line
        if (!fired && !closed) {
          buffer.add(line);
          return;
        }
        emit(line, "");
      } finally {
        lock.unlock();
      }
    }

    /** True once the timeout fired and the recording was printed. */
    public boolean timedOut() {
      lock.lock();
      try {
        return fired;
      } finally {
        lock.unlock();
      }
    }

    /**
     * Ends the recording: drops the buffered lines if the operation ended in time; else logs how
     * long it took. Idempotent.
     */
    @Override
    public void close() {
      timer.cancel();
      lock.lock();
      try {
        if (closed) return;
        closed = true;
        buffer = List.of();
        if (fired) {
          logger.info(
              "Operation {} finished after {} (timeout {})",
              operation,
              Durations.format(Duration.ofNanos(clock.nanoTime() - startNanos)),
              Durations.format(timeout));
        }
      } finally {
        lock.unlock();
      }
    }

    // the clock's action: hand the dump to a virtual thread (clock actions must not block)
    private void expire() {
      Thread.ofVirtual().name("flight-recorder:" + operation).start(this::dump);
    }

    private void dump() {
      lock.lock();
      try {
        if (closed || fired) return;
        fired = true;
        Throwable stack = new Throwable("stack of " + thread.getName() + " (" + thread.getState() + ")");
        stack.setStackTrace(thread.getStackTrace());
        logger.warn(
            "Operation {} has been running for more than {}; its log so far follows, then its stack",
            operation,
            Durations.format(timeout));
        for (Line line : buffer) emit(line, "[flight recorder] ");
        buffer = List.of();
        logger.warn("Operation {} is still running; current stack of thread {}:", operation, thread.getName(), stack);
      } finally {
        lock.unlock();
      }
    }

    private void emit(Line line, String tag) {
      logger.atLevel(line.level)
          .setCause(line.cause)
          .log("{}+{} {}", tag, Durations.format(Duration.ofNanos(line.offsetNanos)), line.message);
    }
  }

  private record Line(Level level, long offsetNanos, String message, Throwable cause) {}
}
