package dev.mode.flightrecorder;

import dev.mode.Durations;
import dev.mode.time.ModeClock;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;
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
 * buffered lines come first, then the stack, then lines logged after it. A line logged after the
 * recording ended goes straight to the log.
 *
 * <h2>Nesting, context and call logging</h2>
 *
 * <p>As in Mode, recordings nest per thread: {@link #current()} is the innermost recording started
 * on the calling thread and not yet closed, so code deep in a call can log to the operation that
 * runs it without being handed the recording. A recording started inside another on the same thread
 * inherits its {@linkplain Recording#context(String, Object) context}: key-value pairs that are
 * merged into every line the recording writes out. {@link Recording#wrap(Class, Object)} wraps an
 * object so that each call of its interface's methods is logged to the recording first (Mode's
 * {@code Logwrapped}).
 *
 * <pre>{@code
 * try (FlightRecorder.Recording rec = recorder.start("sync users").context("tenant", tenant)) {
 *   UserStore store = rec.wrap(UserStore.class, users);  // logs "UserStore.load(42)" on each call
 *   store.load(42);
 *   audit();                                             // FlightRecorder.current() is rec here
 * }
 * }</pre>
 */
public final class FlightRecorder {
  // the innermost recording started on each thread; each recording links to the one it was started
  // inside, so closing it (or finding it closed) uncovers that one
  private static final ThreadLocal<Recording> CURRENT = new ThreadLocal<>();

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
   * Starts recording {@code operation}, run by the calling thread (whose stack a dump shows), and
   * makes it that thread's {@link #current()} recording until it is closed. Inside another
   * recording of this thread, it starts with a copy of that one's context. Close the recording when
   * the operation ends (try-with-resources), on the thread that started it.
   */
  public Recording start(String operation) {
    Objects.requireNonNull(operation, "operation");
    Recording outer = innermostOpen();
    Recording rec = new Recording(operation, Thread.currentThread(), outer);
    CURRENT.set(rec);
    return rec;
  }

  /**
   * The innermost recording started on the calling thread (by any recorder) and not yet closed;
   * empty if there is none. For code that logs to "the operation that runs me":
   * {@code FlightRecorder.current().ifPresent(rec -> rec.debug("cache miss {}", key))}.
   */
  public static Optional<Recording> current() {
    return Optional.ofNullable(innermostOpen());
  }

  // skips (and forgets) recordings closed out of order or from another thread
  private static Recording innermostOpen() {
    Recording r = CURRENT.get();
    Recording open = r;
    while (open != null && open.closed) open = open.outer;
    if (open != r) {
      if (open == null) CURRENT.remove();
      else CURRENT.set(open);
    }
    return open;
  }

  /** The log of one operation; see {@link FlightRecorder}. Thread-safe. */
  public final class Recording implements AutoCloseable {
    private final String operation;
    private final Thread thread;
    private final Recording outer; // the recording of this thread it was started inside, or null
    private final long startNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final ModeClock.Scheduled timer;
    // guarded by lock
    private List<Line> buffer = new ArrayList<>();
    private final LinkedHashMap<String, Object> context = new LinkedHashMap<>();
    private boolean fired;
    private volatile boolean closed; // written under lock; read without it by innermostOpen

    private Recording(String operation, Thread thread, Recording outer) {
      this.operation = operation;
      this.thread = thread;
      this.outer = outer;
      if (outer != null) context.putAll(outer.context());
      this.startNanos = clock.nanoTime();
      this.timer = clock.schedule(clock.deadlineAfter(timeout), this::expire);
    }

    /** The operation's name, as given to {@link FlightRecorder#start}. */
    public String operation() {
      return operation;
    }

    /**
     * Adds {@code key = value} to this recording's context (replacing an earlier value of that key,
     * an inherited one included): every line the recording writes out from now on, replayed or
     * straight through, ends with the context in insertion order ({@code {tenant=acme, page=3}}).
     * Recordings started inside this one on its thread start with a copy. Any thread.
     *
     * @return this recording, for chaining
     */
    public Recording context(String key, Object value) {
      Objects.requireNonNull(key, "key");
      lock.lock();
      try {
        context.put(key, value);
      } finally {
        lock.unlock();
      }
      return this;
    }

    /** This recording's context now: an immutable snapshot, in insertion order. */
    public Map<String, Object> context() {
      lock.lock();
      try {
        return Collections.unmodifiableMap(new LinkedHashMap<>(context));
      } finally {
        lock.unlock();
      }
    }

    /**
     * {@code target} seen through {@code type}, with every call of one of {@code type}'s methods
     * logged to this recording at INFO before it runs (as {@code UserStore.load(42, "bob")}); see
     * {@link #wrap(Level, Class, Object)}.
     */
    public <I> I wrap(Class<I> type, I target) {
      return wrap(Level.INFO, type, target);
    }

    /**
     * {@code target} seen through the interface {@code type}, with every call of one of its methods
     * logged to this recording at {@code level} before it runs (Mode's {@code flight_recorder.wrap}):
     * {@code Type.method(arg, "text", null)}. The call then runs on the calling thread and returns or
     * throws what {@code target} does. {@code equals}, {@code hashCode} and {@code toString} are
     * passed through without a line. The wrapper is as thread-safe as {@code target}.
     *
     * @throws IllegalArgumentException if {@code type} is not an interface
     */
    public <I> I wrap(Level level, Class<I> type, I target) {
      Objects.requireNonNull(level, "level");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(target, "target");
      if (!type.isInterface()) {
        throw new IllegalArgumentException(
            "Flight recorder wrap needs an interface to log calls through, got class " + type.getName()
                + " (pass the interface the object implements, e.g. wrap(UserStore.class, store))");
      }
      // a package-private interface's methods need this to be invoked from here (class path only)
      boolean open = !Modifier.isPublic(type.getModifiers());
      InvocationHandler logging = (proxy, method, args) -> {
        if (method.getDeclaringClass() == Object.class) return passThroughObjectMethod(proxy, method, args, target);
        log(level, "{}", describeCall(type, method, args));
        if (open) method.trySetAccessible();
        try {
          return method.invoke(target, args);
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      };
      return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, logging));
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
        if (CURRENT.get() == this) {
          if (outer == null) CURRENT.remove();
          else CURRENT.set(outer);
        }
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

    // caller holds lock (so the context is read consistently)
    private void emit(Line line, String tag) {
      LoggingEventBuilder event = logger.atLevel(line.level).setCause(line.cause);
      String offset = Durations.format(Duration.ofNanos(line.offsetNanos));
      if (context.isEmpty()) {
        event.log("{}+{} {}", tag, offset, line.message);
      } else {
        // in the text, not as SLF4J key-value pairs: those are invisible in common patterns, and
        // loggers that are not event-aware (a service's log) print them a second time
        event.log("{}+{} {} {}", tag, offset, line.message, context.toString()); // formatted now: it changes
      }
    }
  }

  private static Object passThroughObjectMethod(Object proxy, Method method, Object[] args, Object target) {
    return switch (method.getName()) {
      case "equals" -> proxy == args[0];
      case "hashCode" -> System.identityHashCode(proxy);
      default -> "FlightRecorder.wrap(" + target + ")";
    };
  }

  // Type.method(1, "text", 'c', null), as Mode's Logwrapped writes a call
  private static String describeCall(Class<?> type, Method method, Object[] args) {
    StringBuilder sb = new StringBuilder(type.getSimpleName()).append('.').append(method.getName()).append('(');
    if (args != null) {
      for (int i = 0; i < args.length; i++) {
        if (i > 0) sb.append(", ");
        Object a = args[i];
        if (a instanceof CharSequence cs) sb.append('"').append(cs).append('"');
        else if (a instanceof Character c) sb.append('\'').append(c).append('\'');
        else if (a instanceof Object[] array) sb.append(Arrays.deepToString(array));
        else sb.append(a);
      }
    }
    return sb.append(')').toString();
  }

  private record Line(Level level, long offsetNanos, String message, Throwable cause) {}
}
