package dev.mode.test;

import java.time.Instant;
import java.util.Optional;
import org.slf4j.event.Level;

/**
 * One captured log line.
 *
 * @param time when it was logged (wall clock)
 * @param level its level
 * @param logger the logger's name
 * @param thread the name of the thread that logged it
 * @param service the path of the service whose thread logged it (the {@code mode.service} MDC
 *     entry), if any
 * @param message the formatted message; Mode's lines start with the service prefix, {@code
 *     [^--Cache]: }
 * @param error the exception logged with it, if any
 */
public record LogLine(
    Instant time, Level level, String logger, String thread, Optional<String> service, String message, Optional<Throwable> error) {

  /** Mode's console shape without the timestamp: {@code [ERROR]: [^--Cache]: Crashed reason=...}. */
  @Override
  public String toString() {
    return "[" + level + "]: " + message + error.map(e -> " (" + e + ")").orElse("");
  }
}
