package dev.mode.worker;

import dev.mode.Durations;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * The configuration a program reads besides its command line: environment variables, then a
 * properties file, each key named like a long option without its dashes. The Worker resolves every
 * option (its own, the admin's, any extension's) through one of these, and a program's services
 * read their own keys from the same sources:
 *
 * <pre>{@code
 * @Override
 * protected void onStart() {
 *   Settings settings = Worker.settings();
 *   String url = settings.get("db-url", "jdbc:h2:mem:app");       // MODE_DB_URL, or db-url= in --config
 *   int pool = settings.getInt("db-pool-size", 10);                // MODE_DB_POOL_SIZE
 *   Duration ttl = settings.getDuration("user-ttl", Duration.ofMinutes(1));
 * }
 * }</pre>
 *
 * <p>The rule, one for every key: {@code --admin-port} (key {@code admin-port}) is read from the
 * environment variable {@code MODE_ADMIN_PORT} ({@link #environmentVariable}), else from the line
 * {@code admin-port=…} of the properties file given with {@code --config FILE} (or {@code
 * MODE_CONFIG}), else the default applies. For the Worker's options the command line comes first.
 *
 * <p>A value that cannot be read gets an {@link IllegalArgumentException} whose message names the
 * key, where the value came from, the value and the accepted forms: {@code Invalid value for
 * MODE_POOL_SIZE (environment): "ten"; accepted: a whole number such as 10}.
 *
 * <p>Immutable and thread-safe: the file is read once, when the settings are made.
 */
public final class Settings {
  /** The prefix of every environment variable the Worker reads. */
  public static final String ENVIRONMENT_PREFIX = "MODE_";

  private final Map<String, String> environment;
  private final Path file; // null: no configuration file
  private final Properties properties;

  private Settings(Map<String, String> environment, Path file, Properties properties) {
    this.environment = Map.copyOf(environment);
    this.file = file;
    this.properties = properties;
  }

  /** Settings from this process's environment only, with no configuration file. */
  public static Settings fromEnvironment() {
    return new Settings(System.getenv(), null, new Properties());
  }

  /**
   * Settings from {@code environment} and, when {@code file} is not null, that properties file
   * (UTF-8, {@code key=value} lines, {@code #} comments).
   *
   * @throws IllegalArgumentException naming the file if it cannot be read
   */
  public static Settings of(Map<String, String> environment, Path file) {
    Objects.requireNonNull(environment, "environment");
    return new Settings(environment, file, file == null ? new Properties() : load(file));
  }

  private static Properties load(Path file) {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Cannot read the configuration file " + file + " (--config): " + reason(e)
              + "; give a readable properties file with lines such as admin-port=6066");
    }
    return p;
  }

  static String reason(Exception e) {
    String type = e.getClass().getSimpleName();
    return switch (type) {
      case "NoSuchFileException" -> "no such file";
      case "AccessDeniedException" -> "permission denied";
      case "MalformedInputException" -> "it is not UTF-8 text";
      default -> e.getMessage() == null ? type : type + ": " + e.getMessage();
    };
  }

  /**
   * The environment variable that sets {@code key}: {@code MODE_} and the key in upper case with
   * {@code -} and {@code .} as {@code _}. {@code admin-port} and {@code --admin-port} give {@code
   * MODE_ADMIN_PORT}; {@code loglevel} gives {@code MODE_LOGLEVEL}.
   */
  public static String environmentVariable(String key) {
    return ENVIRONMENT_PREFIX + key(key).toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
  }

  /** The configuration file, if one was given. */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /** The value of {@code key} (with or without leading dashes): environment first, then the file. */
  public Optional<String> get(String key) {
    return Optional.ofNullable(lookup(key)).map(Value::text);
  }

  /** The value of {@code key}, or {@code defaultValue} when neither the environment nor the file sets it. */
  public String get(String key, String defaultValue) {
    return get(key).orElse(defaultValue);
  }

  /**
   * The value of {@code key} as an {@code int}, or {@code defaultValue}.
   *
   * @throws IllegalArgumentException naming the key, its source and the value if it is not a whole number
   */
  public int getInt(String key, int defaultValue) {
    Value v = lookup(key);
    if (v == null) return defaultValue;
    try {
      return Integer.parseInt(v.text().strip());
    } catch (NumberFormatException e) {
      throw v.invalid("accepted: a whole number such as 10");
    }
  }

  /**
   * The value of {@code key} as a {@code boolean} ({@code true} or {@code false}, any case), or
   * {@code defaultValue}.
   *
   * @throws IllegalArgumentException naming the key, its source and the value otherwise
   */
  public boolean getBoolean(String key, boolean defaultValue) {
    Value v = lookup(key);
    if (v == null) return defaultValue;
    return switch (v.text().strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw v.invalid("accepted: true or false");
    };
  }

  /**
   * The value of {@code key} as a duration in Mode's forms ({@code 250ms}, {@code 1.5s}, {@code
   * 2m}, {@code 1h}, {@code 1d}, a plain number of seconds, ISO-8601), or {@code defaultValue}.
   *
   * @throws IllegalArgumentException naming the key, its source, the value and the accepted forms
   */
  public Duration getDuration(String key, Duration defaultValue) {
    Value v = lookup(key);
    if (v == null) return defaultValue;
    try {
      return Durations.parse(v.text().strip());
    } catch (IllegalArgumentException e) {
      throw v.invalid("accepted: " + Durations.ACCEPTED_FORMS);
    }
  }

  /** The value of {@code key} and where it came from, or null: environment first, then the file. */
  Value lookup(String key) {
    String k = key(key);
    String name = environmentVariable(k);
    String env = environment.get(name);
    if (env != null) return new Value(env, name + " (environment)");
    String prop = properties.getProperty(k);
    if (prop != null) return new Value(prop.strip(), k + " (configuration file " + file + ")");
    return null;
  }

  private static String key(String key) {
    Objects.requireNonNull(key, "key");
    String k = key.startsWith("--") ? key.substring(2) : key;
    if (k.isEmpty()) throw new IllegalArgumentException("A settings key must not be empty");
    return k;
  }

  /** A value as found, and its source as error messages name it ({@code MODE_LOGLEVEL (environment)}). */
  record Value(String text, String source) {
    IllegalArgumentException invalid(String accepted) {
      return new IllegalArgumentException("Invalid value for " + source + ": \"" + text + "\"; " + accepted);
    }

    @Override
    public String toString() {
      return source; // never the value: it may be a secret
    }
  }
}
