package dev.mode.admin;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.mode.worker.LogLevels;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /loggers}, {@code GET /loggers/{name}} and {@code POST /loggers/{name}?level=LEVEL}:
 * the JSON side of {@link LogLevels}, in the shape of Spring Boot Actuator's {@code /loggers}.
 * Stateless; the HTTP side (method, token) is {@link AdminHttp}'s.
 */
final class LoggersEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(LoggersEndpoint.class);
  private static final String USAGE =
      "POST /loggers/{name}?level=LEVEL with LEVEL one of trace, debug, info, warn, error, off (any case), or inherit";

  private LoggersEndpoint() {}

  /** Every logger with a level of its own, and the root. */
  static AdminHttp.Body list() {
    requireLogback();
    return AdminHttp.json(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("levels");
      for (String l : LogLevels.LEVELS) g.writeString(l);
      g.writeEndArray();
      g.writeObjectFieldStart("loggers");
      for (LogLevels.LoggerLevel l : LogLevels.configured()) {
        g.writeObjectFieldStart(l.name());
        levels(g, l);
        g.writeEndObject();
      }
      g.writeEndObject();
      g.writeEndObject();
    });
  }

  /** One logger's configured and effective level; any valid name is answered. */
  static AdminHttp.Body get(String name) {
    requireLogback();
    return write(badInput(() -> LogLevels.get(name)));
  }

  /**
   * Sets a logger's level from the request's raw query ({@code level=debug}) and logs who did it.
   *
   * @param requester who asked, for the log ({@code "HTTP from /127.0.0.1:5432"})
   */
  static AdminHttp.Body set(String name, String rawQuery, String requester) {
    requireLogback();
    String level = levelParameter(rawQuery);
    LogLevels.LoggerLevel before = badInput(() -> LogLevels.get(name));
    LogLevels.LoggerLevel after = badInput(() -> LogLevels.set(name, level));
    LOG.info("Log level of {} set to {} (was {}) by {}", after.name(),
        after.configuredLevel() == null ? "inherit (" + after.effectiveLevel() + ")" : after.configuredLevel(),
        before.effectiveLevel(), requester);
    return write(after);
  }

  private static String levelParameter(String rawQuery) {
    if (rawQuery != null) {
      for (String pair : rawQuery.split("&")) {
        int eq = pair.indexOf('=');
        if (eq < 0 || !pair.substring(0, eq).equals("level")) continue;
        try {
          return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          throw new AdminHttp.HttpError(400, "Bad %-escape in the level parameter; " + USAGE);
        }
      }
    }
    throw new AdminHttp.HttpError(400, "No level given; " + USAGE);
  }

  private static AdminHttp.Body write(LogLevels.LoggerLevel l) {
    return AdminHttp.json(g -> {
      g.writeStartObject();
      g.writeStringField("name", l.name());
      levels(g, l);
      g.writeEndObject();
    });
  }

  private static void levels(JsonGenerator g, LogLevels.LoggerLevel l) throws IOException {
    if (l.configuredLevel() == null) g.writeNullField("configuredLevel");
    else g.writeStringField("configuredLevel", l.configuredLevel());
    g.writeStringField("effectiveLevel", l.effectiveLevel());
  }

  private static <T> T badInput(Supplier<T> call) {
    try {
      return call.get();
    } catch (IllegalArgumentException e) {
      throw new AdminHttp.HttpError(400, e.getMessage());
    }
  }

  private static void requireLogback() {
    if (!LogLevels.available()) {
      throw new AdminHttp.HttpError(501, "Log levels can be changed only when SLF4J is bound to Logback, as under the Worker");
    }
  }
}
