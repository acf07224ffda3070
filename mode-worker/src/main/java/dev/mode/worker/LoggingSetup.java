package dev.mode.worker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;
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

  private static final ReentrantLock ROUTED_LOCK = new ReentrantLock();
  // System.out and System.err as they were, and the streams through the group commit that replace them
  private static Routed routed; // guarded by ROUTED_LOCK

  private record Routed(PrintStream out, PrintStream err, PrintStream viaOut, PrintStream viaErr) {}

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
   * level}; with {@code quiet}, the console shows warnings and errors only. The appender writes
   * through {@link LogOutput}'s group commit; when it writes to standard output, {@code System.out}
   * and {@code System.err} are routed through the same queue (until {@link #release()}), so that the
   * Worker's prints and the log keep their order.
   *
   * @return where the log goes, for the banner
   */
  static String configure(String level, Path logfile, boolean quiet) {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    ctx.reset();
    LogOutput output = LogOutput.shared();
    output.batch();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(ctx);
    OutputStreamAppender<ILoggingEvent> appender;
    String where;
    if (logfile != null) {
      GroupCommitFileAppender file = new GroupCommitFileAppender(output);
      file.setFile(logfile.toString());
      file.setAppend(true);
      encoder.setPattern(PATTERN);
      appender = file;
      where = logfile.toString();
    } else {
      encoder.setPattern(stdoutIsTerminal() ? COLOR_PATTERN : PATTERN);
      PrintStream out = routeStandardStreams(output);
      appender = new OutputStreamAppender<>();
      appender.setOutputStream(output.stream(out, false));
      if (quiet) {
        ThresholdFilter warn = new ThresholdFilter();
        warn.setLevel("WARN");
        warn.setContext(ctx);
        warn.start();
        appender.addFilter(warn);
      }
      where = "standard output";
    }
    encoder.start();
    appender.setContext(ctx);
    appender.setName("mode-worker");
    appender.setEncoder(encoder);
    // the group commit writes as soon as it can; a flush per line would wait for each line's write
    appender.setImmediateFlush(false);
    appender.start();
    ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(level, Level.INFO));
    root.addAppender(appender);
    return where;
  }

  /**
   * Replaces {@code System.out} and {@code System.err} with streams through {@code output} (once;
   * the originals are kept for {@link #release()}). Returns the original standard output.
   */
  private static PrintStream routeStandardStreams(LogOutput output) {
    ROUTED_LOCK.lock();
    try {
      if (routed == null) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        // no autoflush: each print reaches the queue at once anyway; flush() still waits for the write
        PrintStream viaOut = new PrintStream(output.stream(out, false), false, out.charset());
        PrintStream viaErr = new PrintStream(output.stream(err, false), false, err.charset());
        routed = new Routed(out, err, viaOut, viaErr);
        System.setOut(viaOut);
        System.setErr(viaErr);
      }
      return routed.out();
    } finally {
      ROUTED_LOCK.unlock();
    }
  }

  /**
   * The end of a Worker's run (after {@link #configure}): writes everything queued, makes every later
   * write wait until it is written, and puts back {@code System.out} and {@code System.err} (unless
   * someone has replaced them since).
   */
  static void release() {
    flushForExit();
    ROUTED_LOCK.lock();
    try {
      if (routed == null) return;
      if (System.out == routed.viaOut()) System.setOut(routed.out());
      if (System.err == routed.viaErr()) System.setErr(routed.err());
      routed = null;
    } finally {
      ROUTED_LOCK.unlock();
    }
  }

  /**
   * Before the JVM exits: writes everything the group commit holds and makes later writes wait until
   * written. Does nothing when the Worker never configured logging.
   */
  static void flushForExit() {
    LogOutput output = LogOutput.existing();
    if (output != null) output.writeThrough();
  }

  /**
   * Logback's file appender (which opens the file, creates its directories and reports failures),
   * writing through the group commit; closing it closes the file after the queued bytes.
   */
  private static final class GroupCommitFileAppender extends FileAppender<ILoggingEvent> {
    private final LogOutput output;

    GroupCommitFileAppender(LogOutput output) {
      this.output = output;
    }

    @Override
    public void setOutputStream(OutputStream file) {
      super.setOutputStream(output.stream(file, true));
    }
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
