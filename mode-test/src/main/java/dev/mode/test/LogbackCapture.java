package dev.mode.test;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import dev.mode.Service;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * Attaches a {@link CapturedLogs} to Logback's root logger for one test, and (when quiet) detaches
 * the other root appenders for that time. Loaded only when Logback is the SLF4J backend.
 *
 * <p>A Worker that configures logging resets Logback's context, which drops every appender: a
 * reset-resistant listener puts the capture back at once, and {@link #close()} quiets the console
 * again after such a reset (the appenders detached before it are gone for good then: that is what a
 * Worker does in production too).
 */
final class LogbackCapture implements AutoCloseable {
  private static final String NAME = "mode-test-capture";

  private final LoggerContext context;
  private final Logger root;
  private final Level oldLevel;
  private final boolean quiet;
  private final List<Appender<ILoggingEvent>> detached = new ArrayList<>();
  private final CaptureAppender appender;
  private final ResetListener resetListener = new ResetListener();
  private volatile boolean wasReset;

  /** Starts capturing into {@code logs}; close the result to stop. */
  static AutoCloseable install(CapturedLogs logs, boolean quiet, String level) {
    return new LogbackCapture(logs, quiet, level);
  }

  private LogbackCapture(CapturedLogs logs, boolean quiet, String level) {
    this.context = (LoggerContext) LoggerFactory.getILoggerFactory();
    this.root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    this.quiet = quiet;
    this.oldLevel = root.getLevel();
    this.appender = new CaptureAppender(logs);
    appender.setContext(context);
    appender.setName(NAME);
    appender.start();
    if (quiet) {
      for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) detached.add(it.next());
      for (Appender<ILoggingEvent> a : detached) root.detachAppender(a);
    }
    Level wanted = Level.toLevel(level, null);
    if (wanted == null) {
      throw new IllegalArgumentException(
          "Unknown log level '" + level + "' in @ModeTest(logLevel): use TRACE, DEBUG, INFO, WARN or ERROR");
    }
    if (quiet) root.setLevel(wanted); // else the configuration decides what reaches the console and the capture
    root.addAppender(appender);
    context.addListener(resetListener);
  }

  @Override
  public void close() {
    context.removeListener(resetListener);
    root.detachAppender(appender);
    appender.stop();
    if (wasReset) {
      // a Worker configured logging meanwhile: keep the console quiet after it as before
      if (quiet) root.detachAndStopAllAppenders();
      return;
    }
    if (quiet) for (Appender<ILoggingEvent> a : detached) root.addAppender(a);
    root.setLevel(oldLevel);
  }

  private final class ResetListener implements LoggerContextListener {
    @Override
    public boolean isResetResistant() {
      return true;
    }

    @Override
    public void onStart(LoggerContext context) {}

    @Override
    public void onReset(LoggerContext context) {
      wasReset = true;
      appender.start(); // the reset stopped it with every other appender
      root.addAppender(appender);
    }

    @Override
    public void onStop(LoggerContext context) {}

    @Override
    public void onLevelChange(Logger logger, Level level) {}
  }

  private static final class CaptureAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    private final CapturedLogs logs;

    CaptureAppender(CapturedLogs logs) {
      this.logs = logs;
    }

    @Override
    protected void append(ILoggingEvent e) {
      IThrowableProxy p = e.getThrowableProxy();
      Throwable error = p instanceof ThrowableProxy tp ? tp.getThrowable() : null;
      String service = e.getMDCPropertyMap().get(Service.MDC_KEY);
      logs.add(
          new LogLine(
              Instant.ofEpochMilli(e.getTimeStamp()),
              org.slf4j.event.Level.valueOf(e.getLevel().levelStr),
              e.getLoggerName(),
              e.getThreadName(),
              Optional.ofNullable(service),
              e.getFormattedMessage(),
              Optional.ofNullable(error)));
    }
  }
}
