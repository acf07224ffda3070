package dev.mode.admin;

import dev.mode.Durations;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * Settings of an {@link AdminService}. A mutable holder with fluent setters, and at the same time a
 * picocli options object: add it to a command with {@code @Mixin} (or {@code
 * CommandLine.addMixin}) to get {@code --admin-port}, {@code --admin-bind}, {@code --admin-token} and
 * {@code --drain-delay}. {@link AdminService} copies the values when it is built, so changing the
 * holder afterwards does not affect a service already built. Not thread-safe: fill it in on one
 * thread, then hand it over.
 *
 * <pre>{@code
 * new AdminService(app, new AdminOptions().port(0).drainDelay(Duration.ofSeconds(5)));
 * }</pre>
 */
public final class AdminOptions {
  /** The port used when none is given: the port of Python Mode's and Faust's web view. */
  public static final int DEFAULT_PORT = 6066;
  /** Bodies larger than this are refused with 413 unless {@link #maxBodyBytes(int)} says otherwise. */
  public static final int DEFAULT_MAX_BODY_BYTES = 16 * 1024;

  @Option(
      names = "--admin-port",
      paramLabel = "PORT",
      description = "Port of the HTTP admin (0: any free port). Default: ${DEFAULT-VALUE}.")
  private int port = DEFAULT_PORT;

  @Option(
      names = "--admin-bind",
      paramLabel = "ADDRESS",
      description = "Address the HTTP admin listens on. Default: ${DEFAULT-VALUE} (this machine only).")
  private String bindAddress = "127.0.0.1";

  @Option(
      names = "--admin-token",
      paramLabel = "TOKEN",
      description = "Bearer token that restart and stop requests must carry. Default: a random token, logged once at start.")
  private String token;

  @Option(
      names = "--drain-delay",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "On a stop signal, fail readiness and wait this long before stopping (250ms, 5s, PT5S). Default: 0s.")
  private Duration drainDelay = Duration.ZERO;

  /** {@code GET /threads} answers at most this many dumps a minute unless {@link #threadDumpsPerMinute(int)} says otherwise. */
  public static final int DEFAULT_THREAD_DUMPS_PER_MINUTE = 60;

  private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
  private int threadDumpsPerMinute = DEFAULT_THREAD_DUMPS_PER_MINUTE;
  private boolean jmx = true;
  private boolean jfr = true;
  private Map<String, List<String>> healthGroups = new LinkedHashMap<>();
  private Duration healthCheckTimeout = Duration.ofSeconds(2);

  /** The port to listen on; 0 picks a free one ({@link AdminService#port()} tells which). */
  public int port() {
    return port;
  }

  /**
   * Sets the port; 0 picks a free port.
   *
   * @throws IllegalArgumentException if not in 0..65535
   */
  public AdminOptions port(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("Invalid admin port " + port + ": use 0 (any free port) or 1..65535");
    }
    this.port = port;
    return this;
  }

  /** The address to listen on: a host name or IP literal. Default {@code 127.0.0.1}. */
  public String bindAddress() {
    return bindAddress;
  }

  /** Sets the address to listen on ({@code 0.0.0.0} for every interface: then set a token you keep secret). */
  public AdminOptions bindAddress(String address) {
    Objects.requireNonNull(address, "address");
    if (address.isBlank()) {
      throw new IllegalArgumentException("Invalid admin bind address \"" + address + "\": use a host name or an IP address such as 127.0.0.1");
    }
    this.bindAddress = address.strip();
    return this;
  }

  /** The configured token, or null when one is generated at start. */
  public String token() {
    return token;
  }

  /**
   * Sets the bearer token that mutating requests must carry; null generates a random one at start.
   *
   * @throws IllegalArgumentException if shorter than 16 characters or not printable ASCII
   */
  public AdminOptions token(String token) {
    if (token != null) checkToken(token);
    this.token = token;
    return this;
  }

  /** How long {@link AdminService#drain()} waits after failing readiness. Default 0. */
  public Duration drainDelay() {
    return drainDelay;
  }

  /** Sets the drain delay. */
  public AdminOptions drainDelay(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("Invalid drain delay " + delay + ": it must not be negative");
    }
    this.drainDelay = delay;
    return this;
  }

  /** The largest request body accepted; larger ones get 413. */
  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  /** Sets the largest request body accepted (at least 0). */
  public AdminOptions maxBodyBytes(int bytes) {
    if (bytes < 0) throw new IllegalArgumentException("Invalid max body size " + bytes + ": use 0 or more bytes");
    this.maxBodyBytes = bytes;
    return this;
  }

  /**
   * How many thread dumps {@code GET /threads} takes a minute, at most 5 of them at once; past it the
   * admin answers 429 with {@code Retry-After}. Default {@value #DEFAULT_THREAD_DUMPS_PER_MINUTE}.
   */
  public int threadDumpsPerMinute() {
    return threadDumpsPerMinute;
  }

  /**
   * Sets how many thread dumps {@code GET /threads} takes a minute.
   *
   * @throws IllegalArgumentException if less than 1
   */
  public AdminOptions threadDumpsPerMinute(int perMinute) {
    if (perMinute < 1) {
      throw new IllegalArgumentException("Invalid thread dump rate " + perMinute + " per minute: use 1 or more");
    }
    this.threadDumpsPerMinute = perMinute;
    return this;
  }

  /** Whether an MXBean is registered per service. Default true. */
  public boolean jmx() {
    return jmx;
  }

  /** Turns the per-service MXBeans on or off. */
  public AdminOptions jmx(boolean on) {
    this.jmx = on;
    return this;
  }

  /** Whether lifecycle and timer events are emitted to Java Flight Recorder. Default true. */
  public boolean jfr() {
    return jfr;
  }

  /** Turns the JFR events on or off. */
  public AdminOptions jfr(boolean on) {
    this.jfr = on;
    return this;
  }

  /**
   * Adds (or replaces) the health group {@code name}, answered at {@code GET /health/NAME}: UP while
   * every service at {@code paths}, and everything below each, is RUNNING and its {@link
   * dev.mode.HealthCheck} (if any) healthy. A path that names no service makes the group DOWN.
   *
   * <pre>{@code
   * new AdminOptions().healthGroup("db", "Worker/App/Orders", "Worker/App/Ledger");
   * }</pre>
   *
   * @param name lower-case letters, digits, {@code -} and {@code _}; not live, ready or started
   * @param paths service paths as {@code GET /services} shows them
   * @return this
   * @throws IllegalArgumentException naming a bad name or a blank path
   */
  public AdminOptions healthGroup(String name, String... paths) {
    List<String> list = List.of(Objects.requireNonNull(paths, "paths"));
    Health.checkGroup(name, list);
    healthGroups.put(name, list);
    return this;
  }

  /**
   * The configured health groups.
   *
   * @return the groups by name, in the order added; an immutable snapshot
   */
  public Map<String, List<String>> healthGroups() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(healthGroups));
  }

  /**
   * How long a probe waits for the services' health checks. Default 2 s.
   *
   * @return the timeout
   */
  public Duration healthCheckTimeout() {
    return healthCheckTimeout;
  }

  /**
   * Sets how long a probe waits for the services' health checks; a check that has not answered by
   * then is reported unhealthy.
   *
   * @param timeout more than zero
   * @return this
   * @throws IllegalArgumentException if zero or negative
   */
  public AdminOptions healthCheckTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("Invalid health check timeout " + timeout + ": it must be more than zero, such as 2s");
    }
    this.healthCheckTimeout = timeout;
    return this;
  }

  AdminOptions copy() {
    if (token != null) checkToken(token); // picocli sets the field directly
    AdminOptions c = new AdminOptions();
    c.port = port;
    c.bindAddress = bindAddress;
    c.token = token;
    c.drainDelay = drainDelay;
    c.maxBodyBytes = maxBodyBytes;
    c.threadDumpsPerMinute = threadDumpsPerMinute;
    c.jmx = jmx;
    c.jfr = jfr;
    c.healthGroups = new LinkedHashMap<>(healthGroups);
    c.healthCheckTimeout = healthCheckTimeout;
    return c;
  }

  private static void checkToken(String token) {
    if (token.length() < 16) {
      throw new IllegalArgumentException(
          "Invalid admin token: it has " + token.length() + " characters; use at least 16 (or none, to get a random one)");
    }
    for (int i = 0; i < token.length(); i++) {
      char ch = token.charAt(i);
      if (ch <= ' ' || ch > '~') {
        throw new IllegalArgumentException(
            "Invalid admin token: character " + (i + 1) + " is not printable ASCII; use letters, digits and punctuation");
      }
    }
  }

  /** picocli converter for {@code --drain-delay}: the forms of {@link Durations#parse}. */
  public static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return Durations.parse(value);
    }
  }
}
