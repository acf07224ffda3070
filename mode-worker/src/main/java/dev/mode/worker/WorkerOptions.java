package dev.mode.worker;

import dev.mode.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The Worker's settings: picocli parses the command line into these fields, over defaults that the
 * {@link Worker.Builder} set. Confined to the thread that calls {@link Worker#execute}.
 */
@Command(
    mixinStandardHelpOptions = true,
    versionProvider = WorkerOptions.Version.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = "Runs the services until stopped by SIGTERM, SIGHUP or Ctrl-C (SIGINT; a second Ctrl-C exits at once).%n"
        + "SIGUSR1 dumps every thread, grouped by service, to standard error.%n"
        + "An option not on the command line is read from its environment variable (shown under it),"
        + " else from the --config properties file (key = the option without dashes), else its default."
        + " @FILE reads more arguments from FILE.",
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0    stopped cleanly",
      "  1    a crash reached the Worker, or the shutdown timeout passed",
      "  2    bad command line",
      "  71   OutOfMemoryError",
      "  130  a second SIGINT forced the exit during the stop",
      "  other codes a service requested (Worker.exit(code), ExitException)"
    })
final class WorkerOptions {
  static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
  static final Duration DEFAULT_DEBUG_BLOCKING_TIMEOUT = Duration.ofSeconds(10);

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Properties file of option values, one per line without the dashes: admin-port=6066,"
          + " loglevel=debug. The environment and the command line override it.")
  Path config;

  @Option(
      names = "--loglevel",
      paramLabel = "LEVEL",
      converter = LevelConverter.class,
      description = "Log level: debug, info, warn or error (any case). Default: ${DEFAULT-VALUE}.")
  String loglevel;

  @Option(
      names = "--logfile",
      paramLabel = "FILE",
      description = "Write the log to FILE (appending) instead of standard output.")
  Path logfile;

  @Option(
      names = "--blocking-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Turn the blocking detector on: report callbacks and timer runs that have not returned"
          + " within DURATION (250ms, 1.5s, 2m, PT1S), pinned virtual threads and starved carriers.")
  Duration blockingTimeout;

  @Option(
      names = "--console-port",
      paramLabel = "PORT",
      description = "Open the debug console (line-based, use nc) on this TCP port; 0 picks a free port."
          + " Off by default.")
  Integer consolePort;

  @Option(
      names = "--console-host",
      paramLabel = "HOST",
      description = "Address the console binds to. Default: ${DEFAULT-VALUE}. A non-loopback address"
          + " requires --console-token.")
  String consoleHost;

  @Option(
      names = "--console-token",
      paramLabel = "TOKEN",
      description = "Secret a console client must send as its first line. Prefer --console-token-file or"
          + " the environment: the command line shows in ps.")
  String consoleToken;

  @Option(
      names = "--console-token-file",
      paramLabel = "FILE",
      converter = SecretFileConverter.class,
      description = "Read the console token from FILE (its trailing newline removed).")
  String consoleTokenFromFile;

  @Option(
      names = "--debug",
      description = "Debug mode: turn the blocking detector on (timeout "
          + "10s unless --blocking-timeout is given).")
  boolean debug;

  @Option(
      names = "--quiet",
      description = "No banner, and only warnings and errors on the console (the log file keeps --loglevel).")
  boolean quiet;

  @Option(
      names = "--shutdown-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Bound on the whole stop; services still stopping then are named and the process exits."
          + " Default: ${DEFAULT-VALUE}.")
  Duration shutdownTimeout;

  /**
   * The defaults the builder set, as strings the converters accept, by option name; {@link
   * OptionSources} falls back on them after the environment and the configuration file.
   */
  static final class Defaults {
    final Map<String, String> values = new HashMap<>();

    Defaults() {
      values.put("--loglevel", "info");
      values.put("--console-host", "127.0.0.1");
      values.put("--shutdown-timeout", format(DEFAULT_SHUTDOWN_TIMEOUT));
    }

    void put(String option, Object value) {
      if (value == null) values.remove(option);
      else values.put(option, value instanceof Duration d ? format(d) : value.toString());
    }

    // a form Durations.parse reads back exactly
    private static String format(Duration d) {
      String shown = Durations.format(d);
      try {
        if (Durations.parse(shown).equals(d)) return shown;
      } catch (IllegalArgumentException e) {
        // fall through to ISO-8601
      }
      return d.toString();
    }
  }

  /** The blocking timeout in force, or null when the detector is off. */
  Duration effectiveBlockingTimeout() {
    if (blockingTimeout != null) return blockingTimeout;
    return debug ? DEFAULT_DEBUG_BLOCKING_TIMEOUT : null;
  }

  /** The console token in force: from {@code --console-token-file}, else {@code --console-token}; may be null. */
  String effectiveConsoleToken() {
    return consoleTokenFromFile != null ? consoleTokenFromFile : consoleToken;
  }

  /**
   * Checks what the converters cannot check alone.
   *
   * @param origin names where an option's value came from, as {@link OptionSources#origin} does
   * @throws IllegalArgumentException naming the bad value, its source and what is accepted
   */
  void validate(Function<String, String> origin) {
    if (consolePort != null && (consolePort < 0 || consolePort > 65535)) {
      throw new IllegalArgumentException(
          "Invalid value for " + origin.apply("--console-port") + ": " + consolePort + " is not a TCP port (0 to 65535)");
    }
    if (blockingTimeout != null && blockingTimeout.isZero()) {
      throw new IllegalArgumentException(
          "Invalid value for " + origin.apply("--blocking-timeout") + ": it must be more than 0");
    }
    String token = effectiveConsoleToken();
    if (consolePort != null && !isLoopback(consoleHost, origin) && (token == null || token.isEmpty())) {
      throw new IllegalArgumentException(
          "The console would listen on " + consoleHost + ", which is not a loopback address:"
              + " give --console-token-file FILE (or MODE_CONSOLE_TOKEN) as well (clients then send the token"
              + " as their first line), or bind to 127.0.0.1");
    }
  }

  static boolean isLoopback(String host, Function<String, String> origin) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(
          "Invalid value for " + origin.apply("--console-host") + ": unknown host '" + host + "'");
    }
  }

  /** Accepts debug, info, warn, error in any case; yields lower case. */
  static final class LevelConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      try {
        return parseLevel(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  static String parseLevel(String value) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "debug", "info", "warn", "error" -> v;
      case "warning" -> "warn";
      default ->
          throw new IllegalArgumentException(
              "'" + value + "' is not a log level; use debug, info, warn or error (any case)");
    };
  }

  /** The project version, from the filtered version.properties. */
  static String version() {
    Properties p = new Properties();
    try (InputStream in = WorkerOptions.class.getResourceAsStream("version.properties")) {
      if (in != null) p.load(in);
    } catch (IOException e) {
      // unreadable: report it as unknown
    }
    return p.getProperty("version", "unknown");
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "Mode for Java " + version(), "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
      };
    }
  }
}
