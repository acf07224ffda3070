package dev.mode.worker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import java.lang.reflect.Method;
import java.nio.file.Path;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configures Logback the Worker's way, Python Mode's line shape:
 * {@code [2026-11-21 15:47:12,159: INFO]: [^--Label]: message}. The {@code [^--Label]: } part comes
 * from each service's logger; this class writes the pattern around it.
 *
 * <p>Leaves logging alone when the user brings a configuration: {@code -Dlogback.configurationFile},
 * or {@code logback.xml} / {@code logback-test.xml} on the class path, or when SLF4J is bound to
 * something other than Logback.
 */
final class LoggingSetup {
  /** Mode's shape; Logback's default date format is {@code yyyy-MM-dd HH:mm:ss,SSS}. */
  static final String PATTERN = "[%d: %level]: %msg%n";

  static final String COLOR_PATTERN = "[%d: %highlight(%level)]: %msg%n";

  private LoggingSetup() {}

  /** Why the Worker leaves logging alone, or null if it may configure it. */
  static String userConfiguration() {
    String file = System.getProperty("logback.configurationFile");
    if (file != null) return "-Dlogback.configurationFile=" + file;
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    if (cl == null) cl = LoggingSetup.class.getClassLoader();
    for (String name : new String[] {"logback-test.xml", "logback.xml"}) {
      if (cl.getResource(name) != null) return name + " on the class path";
    }
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (!(factory instanceof LoggerContext)) return "SLF4J is bound to " + factory.getClass().getName();
    return null;
  }

  /**
   * Replaces Logback's configuration: one appender (standard output, or {@code logfile}) at {@code
   * level}; with {@code quiet}, the console shows warnings and errors only.
   *
   * @return where the log goes, for the banner
   */
  static String configure(String level, Path logfile, boolean quiet) {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    ctx.reset();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(ctx);
    OutputStreamAppender<ILoggingEvent> appender;
    String where;
    if (logfile != null) {
      FileAppender<ILoggingEvent> file = new FileAppender<>();
      file.setFile(logfile.toString());
      file.setAppend(true);
      encoder.setPattern(PATTERN);
      appender = file;
      where = logfile.toString();
    } else {
      ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
      encoder.setPattern(stdoutIsTerminal() ? COLOR_PATTERN : PATTERN);
      if (quiet) {
        ThresholdFilter warn = new ThresholdFilter();
        warn.setLevel("WARN");
        warn.setContext(ctx);
        warn.start();
        console.addFilter(warn);
      }
      appender = console;
      where = "standard output";
    }
    encoder.start();
    appender.setContext(ctx);
    appender.setName("mode-worker");
    appender.setEncoder(encoder);
    appender.start();
    ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(level, Level.INFO));
    root.addAppender(appender);
    return where;
  }

  /** True when standard output is an interactive terminal (and NO_COLOR is not set). */
  static boolean stdoutIsTerminal() {
    if (System.getenv("NO_COLOR") != null) return false;
    java.io.Console console = System.console();
    if (console == null) return false;
    // JDK 22+ returns a Console even when redirected; isTerminal() tells (absent on 21, where null
    // already meant "not a terminal")
    try {
      Method isTerminal = java.io.Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (NoSuchMethodException e) {
      return true;
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }
}
