package dev.mode;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Captures every log event (at INFO and above by default) while open. */
final class LogCapture implements AutoCloseable {
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final Level before;

  private LogCapture(Level level) {
    before = root.getLevel();
    appender.start();
    root.addAppender(appender);
    root.setLevel(level);
  }

  static LogCapture info() {
    return new LogCapture(Level.INFO);
  }

  List<ILoggingEvent> events() {
    return List.copyOf(appender.list);
  }

  List<String> messages() {
    return events().stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    root.setLevel(before);
  }
}
