package dev.mode.worker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's {@code loglevel} command, over {@link LogLevels}: {@code loglevel} lists the loggers
 * that have a level, {@code loglevel NAME} shows one, {@code loglevel NAME LEVEL} sets it ({@code
 * inherit} removes its own level). Stateless.
 */
final class LogLevelCommand {
  private static final Logger LOG = LoggerFactory.getLogger(LogLevelCommand.class);
  static final String HELP =
      "loglevel [NAME [LEVEL]]: list log levels, show NAME's, or set it (trace|debug|info|warn|error|off|inherit)";

  private LogLevelCommand() {}

  /** Runs the command with its argument text (everything after {@code loglevel}); the answer ends in a newline. */
  static String run(String arg) {
    if (!LogLevels.available()) return "Log levels cannot be changed: SLF4J is not bound to Logback.\n";
    String[] words = arg.isBlank() ? new String[0] : arg.strip().split("\\s+");
    try {
      return switch (words.length) {
        case 0 -> {
          StringBuilder sb = new StringBuilder();
          for (LogLevels.LoggerLevel l : LogLevels.configured()) sb.append(line(l));
          yield sb.toString();
        }
        case 1 -> line(LogLevels.get(words[0]));
        case 2 -> {
          LogLevels.LoggerLevel before = LogLevels.get(words[0]);
          LogLevels.LoggerLevel after = LogLevels.set(words[0], words[1]);
          LOG.info("Log level of {} set to {} (was {}) from the console", after.name(),
              after.configuredLevel() == null ? "inherit (" + after.effectiveLevel() + ")" : after.configuredLevel(),
              before.effectiveLevel());
          yield after.name() + ": " + before.effectiveLevel() + " -> " + after.effectiveLevel()
              + (after.configuredLevel() == null ? " (inherited)" : "") + "\n";
        }
        default -> "Usage: " + HELP + "\n";
      };
    } catch (IllegalArgumentException e) {
      return e.getMessage() + "\n";
    }
  }

  private static String line(LogLevels.LoggerLevel l) {
    return String.format("%-40s %s%s%n", l.name(), l.effectiveLevel(), l.configuredLevel() == null ? " (inherited)" : "");
  }
}
