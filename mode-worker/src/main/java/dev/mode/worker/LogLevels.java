package dev.mode.worker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and changes log levels while the program runs: the one place that does, used by the admin's
 * {@code /loggers} endpoint and the console's {@code loglevel} command. Logback is the Worker's
 * backend; when SLF4J is bound to something else every method throws {@link IllegalStateException}
 * naming the binding ({@link #available()} tells beforehand).
 *
 * <pre>{@code
 * LogLevels.set("dev.mode.examples", "debug");   // DEBUG from now on for that package
 * LogLevels.set("dev.mode.examples", null);      // back to inheriting from its parent
 * }</pre>
 *
 * <p>Thread-safe: Logback applies a level change atomically, and every logger sees it on its next
 * log call. Changes last until the JVM ends (or Logback is reconfigured); they are not written back
 * to any configuration file.
 */
public final class LogLevels {
  /** The name that stands for the root logger, in any case. */
  public static final String ROOT = Logger.ROOT_LOGGER_NAME;

  /** The levels {@link #set} accepts, in any case. */
  public static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

  private static final int MAX_NAME_CHARS = 256;

  private LogLevels() {}

  /**
   * The level of one logger.
   *
   * @param name the logger's name ({@code ROOT} for the root logger)
   * @param configuredLevel the level set on this logger itself, or null when it inherits its level
   * @param effectiveLevel the level in force: the configured one, or the nearest ancestor's
   */
  public record LoggerLevel(String name, String configuredLevel, String effectiveLevel) {}

  /**
   * Tells whether levels can be read and changed here.
   *
   * @return true when SLF4J is bound to Logback
   */
  public static boolean available() {
    return LoggerFactory.getILoggerFactory() instanceof LoggerContext;
  }

  /**
   * The root logger and every logger that has a level of its own, root first, then by name. Loggers
   * that only inherit are left out: there are thousands of them, and {@link #get} answers for any
   * name.
   *
   * @return an immutable snapshot
   */
  public static List<LoggerLevel> configured() {
    LoggerContext ctx = context();
    List<LoggerLevel> out = new ArrayList<>();
    out.add(levelOf(ctx.getLogger(ROOT)));
    ctx.getLoggerList().stream()
        .filter(l -> l.getLevel() != null && !l.getName().equals(ROOT))
        .sorted((a, b) -> a.getName().compareTo(b.getName()))
        .forEach(l -> out.add(levelOf(l)));
    return List.copyOf(out);
  }

  /**
   * The level of the logger {@code name}. A name no code has used yet is answered too (it inherits
   * from its nearest existing ancestor), without creating the logger.
   *
   * @param name a logger name such as {@code dev.mode.examples}, or {@code ROOT}
   * @return its configured and effective level
   * @throws IllegalArgumentException if {@code name} is not a logger name
   */
  public static LoggerLevel get(String name) {
    String n = checkName(name);
    LoggerContext ctx = context();
    ch.qos.logback.classic.Logger existing = ctx.exists(n);
    if (existing != null) return levelOf(existing);
    // walk up the dotted name to the nearest logger that exists (the root always does)
    String up = n;
    while (true) {
      int dot = up.lastIndexOf('.');
      ch.qos.logback.classic.Logger ancestor = dot < 0 ? ctx.getLogger(ROOT) : ctx.exists(up.substring(0, dot));
      if (ancestor != null) return new LoggerLevel(n, null, ancestor.getEffectiveLevel().toString());
      up = up.substring(0, dot);
    }
  }

  /**
   * Sets the level of the logger {@code name} (and so of every logger below it that has no level of
   * its own), creating the logger if needed.
   *
   * @param name a logger name such as {@code dev.mode.examples}, or {@code ROOT}
   * @param level one of {@link #LEVELS} in any case; null, empty or {@code inherit} removes the
   *     logger's own level so it inherits again (not for the root, which must have one)
   * @return the logger's level after the change
   * @throws IllegalArgumentException naming the bad value and the accepted forms
   */
  public static LoggerLevel set(String name, String level) {
    String n = checkName(name);
    Level parsed = parseLevel(level);
    boolean root = n.equals(ROOT);
    if (parsed == null && root) {
      throw new IllegalArgumentException(
          "The root logger cannot inherit a level; give it one of " + String.join(", ", LEVELS));
    }
    ch.qos.logback.classic.Logger logger = context().getLogger(n);
    logger.setLevel(parsed);
    return levelOf(logger);
  }

  /**
   * The level named by {@code level}, or null for "inherit" (null, blank or {@code inherit}).
   *
   * @throws IllegalArgumentException naming the value and the accepted forms
   */
  static Level parseLevel(String level) {
    if (level == null || level.isBlank() || level.strip().equalsIgnoreCase("inherit")) return null;
    String up = level.strip().toUpperCase(Locale.ROOT);
    // Logback's Level.toLevel falls back to DEBUG on anything it does not know: check first
    if (!LEVELS.contains(up)) {
      throw new IllegalArgumentException(
          "Invalid log level \"" + clip(level) + "\": use one of " + String.join(", ", LEVELS)
              + " (any case), or inherit");
    }
    return Level.toLevel(up);
  }

  // ROOT in any case is the root; otherwise a dotted Java-ish name with no spaces or controls
  private static String checkName(String name) {
    Objects.requireNonNull(name, "name");
    String n = name.strip();
    if (n.equalsIgnoreCase(ROOT)) return ROOT;
    boolean ok = !n.isEmpty() && n.length() <= MAX_NAME_CHARS && !n.startsWith(".") && !n.endsWith(".") && !n.contains("..");
    for (int i = 0; ok && i < n.length(); i++) {
      char c = n.charAt(i);
      ok = Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '$' || c == '-';
    }
    if (!ok) {
      throw new IllegalArgumentException(
          "Invalid logger name \"" + clip(name) + "\": use a dotted name such as dev.mode.examples (letters, digits, "
              + "_ $ -, at most " + MAX_NAME_CHARS + " characters), or ROOT");
    }
    return n;
  }

  private static LoggerLevel levelOf(ch.qos.logback.classic.Logger l) {
    Level own = l.getLevel();
    return new LoggerLevel(l.getName(), own == null ? null : own.toString(), l.getEffectiveLevel().toString());
  }

  private static LoggerContext context() {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (factory instanceof LoggerContext ctx) return ctx;
    throw new IllegalStateException(
        "Log levels can be changed only with Logback; SLF4J is bound to " + factory.getClass().getName());
  }

  private static String clip(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }
}
