package dev.mode.admin;

import java.util.Map;

/**
 * Limits and timeouts of the JDK's HTTP server, which reads them once per JVM from system properties
 * when its first server is created. Unless the program has set one itself (for example with {@code
 * -Dsun.net.httpserver.maxReqTime=5}), the admin sets these before it creates its server:
 *
 * <ul>
 *   <li>{@code sun.net.httpserver.maxReqTime} = {@value #MAX_REQ_TIME_SECONDS} s: a request (head and
 *       body) not fully received by then has its connection closed (against slowloris);
 *   <li>{@code sun.net.httpserver.maxRspTime} = {@value #MAX_RSP_TIME_SECONDS} s: likewise for
 *       sending an answer;
 *   <li>{@code sun.net.httpserver.idleInterval} = {@value #IDLE_SECONDS} s: an idle keep-alive
 *       connection is closed, and a new connection that sends nothing is closed after the shorter
 *       of this and the request time;
 *   <li>{@code jdk.httpserver.maxConnections} = {@value #MAX_CONNECTIONS}: past it, a new
 *       connection is accepted and closed at once;
 *   <li>{@code sun.net.httpserver.maxIdleConnections} = {@value #MAX_IDLE_CONNECTIONS}.
 * </ul>
 *
 * Properties read once per JVM: a server created earlier in the process (by the program, or an
 * earlier admin) fixes them for every later one. Thread-safe.
 */
final class ServerLimits {
  static final int MAX_REQ_TIME_SECONDS = 10;
  static final int MAX_RSP_TIME_SECONDS = 60;
  static final int IDLE_SECONDS = 30;
  static final int MAX_CONNECTIONS = 256;
  static final int MAX_IDLE_CONNECTIONS = 64;

  private static final Map<String, String> DEFAULTS = Map.of(
      "sun.net.httpserver.maxReqTime", Integer.toString(MAX_REQ_TIME_SECONDS),
      "sun.net.httpserver.maxRspTime", Integer.toString(MAX_RSP_TIME_SECONDS),
      "sun.net.httpserver.idleInterval", Integer.toString(IDLE_SECONDS),
      "jdk.httpserver.maxConnections", Integer.toString(MAX_CONNECTIONS),
      "sun.net.httpserver.maxIdleConnections", Integer.toString(MAX_IDLE_CONNECTIONS));

  private ServerLimits() {}

  /** Sets each property the program has not set. */
  static void apply() {
    DEFAULTS.forEach((key, value) -> {
      if (System.getProperty(key) == null) System.setProperty(key, value);
    });
  }
}
