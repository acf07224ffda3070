package dev.mode.test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The log lines of one test, captured in memory, with assertions on them:
 *
 * <pre>{@code
 * logs.assertLogged(Level.ERROR, "[^--Cache]: Crashed reason=java.io.IOException: disk full");
 * logs.assertNotLogged(Level.WARN, "overlapping");
 * }</pre>
 *
 * <p>Capture needs Logback as the SLF4J backend (it is wherever mode-worker is on the class path);
 * with another backend every method but {@link #available()} throws {@link IllegalStateException}
 * saying so. Lines are matched by substring of the formatted message, at exactly the level given.
 * At most {@value #LIMIT} lines are kept; older ones are dropped and counted. Thread-safe: lines arrive
 * from any thread.
 */
public final class CapturedLogs {
  /** The most lines kept. */
  public static final int LIMIT = 100_000;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition added = lock.newCondition();
  private final ArrayList<LogLine> lines = new ArrayList<>(); // guarded by lock
  private int dropped; // guarded by lock
  private final String unavailable; // why capture does not work, or null
  private volatile Consumer<LogLine> asserted = line -> {};

  CapturedLogs(String unavailable) {
    this.unavailable = unavailable;
  }

  /** Why capture cannot work here, or null when Logback is the backend. */
  static String whyUnavailable() {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    String name = factory.getClass().getName();
    if (name.equals("ch.qos.logback.classic.LoggerContext")) return null;
    return "Log capture needs Logback as the SLF4J backend, but SLF4J is bound to "
        + name
        + ". Add ch.qos.logback:logback-classic as a test dependency (mode-worker brings it).";
  }

  /** True when lines are captured (Logback is the SLF4J backend). */
  public boolean available() {
    return unavailable == null;
  }

  void add(LogLine line) {
    lock.lock();
    try {
      if (lines.size() >= LIMIT) {
        lines.subList(0, LIMIT / 10).clear();
        dropped += LIMIT / 10;
      }
      lines.add(line);
      added.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void onAsserted(Consumer<LogLine> callback) {
    this.asserted = callback;
  }

  /** Every captured line, oldest first: a snapshot. */
  public List<LogLine> lines() {
    ensureAvailable();
    lock.lock();
    try {
      return List.copyOf(lines);
    } finally {
      lock.unlock();
    }
  }

  /** The captured lines at {@code level} whose message contains {@code text}: a snapshot. */
  public List<LogLine> lines(Level level, String text) {
    return lines().stream().filter(matcher(level, text)).toList();
  }

  /** True if a line at {@code level} containing {@code text} was captured. */
  public boolean contains(Level level, String text) {
    return !lines(level, text).isEmpty();
  }

  /**
   * Asserts that a line at {@code level} whose message contains {@code text} was captured, and
   * returns the first such line.
   *
   * @throws AssertionError listing the lines captured at that level when none matches
   */
  public LogLine assertLogged(Level level, String text) {
    List<LogLine> found = lines(level, text);
    if (found.isEmpty()) {
      throw new AssertionError(
          "Expected a line at " + level + " containing \"" + text + "\"; lines at " + level + ":" + listing(level));
    }
    found.forEach(asserted);
    return found.get(0);
  }

  /**
   * Asserts that no line at {@code level} contains {@code text}.
   *
   * @throws AssertionError naming the lines that do
   */
  public void assertNotLogged(Level level, String text) {
    List<LogLine> found = lines(level, text);
    if (!found.isEmpty()) {
      throw new AssertionError("Expected no line at " + level + " containing \"" + text + "\", found:" + join(found));
    }
  }

  /**
   * Waits until a line at {@code level} containing {@code text} is captured (or already was), for at
   * most {@code timeout}; for programs on the system clock.
   *
   * @throws AssertionError listing the lines at that level when time runs out
   */
  public LogLine awaitLogged(Level level, String text, Duration timeout) throws InterruptedException {
    ensureAvailable();
    Predicate<LogLine> match = matcher(level, text);
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      for (int seen = 0; ; ) {
        for (; seen < lines.size(); seen++) {
          if (match.test(lines.get(seen))) {
            asserted.accept(lines.get(seen));
            return lines.get(seen);
          }
        }
        long wait = deadline - System.nanoTime();
        if (wait <= 0) break;
        int before = lines.size();
        added.await(wait, TimeUnit.NANOSECONDS);
        if (lines.size() < before) seen = 0; // old lines were dropped meanwhile
      }
    } finally {
      lock.unlock();
    }
    throw new AssertionError(
        "No line at " + level + " containing \"" + text + "\" within " + timeout + "; lines at " + level + ":" + listing(level));
  }

  /** Forgets every line captured so far. */
  public void clear() {
    lock.lock();
    try {
      lines.clear();
      dropped = 0;
    } finally {
      lock.unlock();
    }
  }

  /** Every line in Mode's console shape, one per line, with stacks: what a failed test prints. */
  public String dump() {
    if (unavailable != null) return unavailable;
    StringBuilder sb = new StringBuilder();
    lock.lock();
    try {
      if (dropped > 0) sb.append("(").append(dropped).append(" earlier lines dropped)\n");
      for (LogLine l : lines) {
        sb.append('[').append(l.time()).append(": ").append(l.level()).append("]: ").append(l.message()).append('\n');
        l.error().ifPresent(e -> sb.append(stackOf(e)));
      }
    } finally {
      lock.unlock();
    }
    return sb.toString();
  }

  private static String stackOf(Throwable e) {
    StringWriter w = new StringWriter();
    e.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  private String listing(Level level) {
    List<LogLine> at = lines().stream().filter(l -> l.level() == level).toList();
    return at.isEmpty() ? " none" : join(at);
  }

  private static String join(List<LogLine> lines) {
    StringBuilder sb = new StringBuilder();
    for (LogLine l : lines) sb.append("\n  ").append(l);
    return sb.toString();
  }

  private static Predicate<LogLine> matcher(Level level, String text) {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(text, "text");
    return l -> l.level() == level && l.message().contains(text);
  }

  private void ensureAvailable() {
    if (unavailable != null) throw new IllegalStateException(unavailable);
  }
}
