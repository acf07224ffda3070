package dev.mode.admin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.mode.Service;
import dev.mode.graph.DependencyGraph;
import dev.mode.worker.ServicePaths;
import dev.mode.worker.ThreadDump;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of {@link AdminService}: the JDK's {@code HttpServer} with one virtual thread per
 * exchange and one handler that checks every request (URI length, head size, Host, body, method,
 * token) before it routes it by its first path segment to a {@link Route}. Every answer carries a
 * status that says what went wrong (400, 401, 403, 404, 405, 409, 413, 414, 429, 431, 500) and a
 * JSON body naming the bad value. Connection limits and timeouts: {@link ServerLimits}.
 */
final class AdminHttp implements HttpHandler, AutoCloseable {
  static final int MAX_URI_CHARS = 2048;
  /** Request heads (header names and values) larger than this get 431. */
  static final int MAX_HEAD_BYTES = 16 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(AdminHttp.class);
  private static final JsonFactory JSON = new JsonFactory();
  private static final String ENDPOINTS =
      "GET /, /health/live, /health/ready, /health/started, /health/{group}, /services, /services/{path}, "
          + "/graph.dot, /graph.mmd, /threads, /metrics, /events, /info, /loggers, /loggers/{name}; "
          + "POST /services/{path}/restart, /services/{path}/stop, /loggers/{name}?level=LEVEL";
  private static final byte[] DASHBOARD = loadDashboard();

  private final AdminService admin;
  private final HttpServer server;
  private final ExecutorService executor;
  private final int maxBody;
  private final boolean loopback;
  private final byte[] tokenHash;
  private final RateLimit threadDumps;
  // first path segment -> endpoint, in the order the 404 lists them ("" is the dashboard)
  private final Map<String, Route> routes = new LinkedHashMap<>();

  /**
   * One endpoint: serves every request whose first path segment is its key, after the common checks
   * (Host, URI, head, body) have passed. Throw {@link HttpError} for a 4xx/5xx answer.
   */
  interface Route {
    /**
     * @param ex the exchange; answer it with {@link AdminHttp#send}
     * @param method the request method, as sent
     * @param segments the decoded path segments (the first is the route's key; empty for "/")
     * @param deferred where to put an outcome that must proceed after the answer has gone out
     */
    void serve(HttpExchange ex, String method, List<String> segments, AdminService.Outcome[] deferred)
        throws IOException;
  }

  private AdminHttp(AdminService admin, AdminOptions options, HttpServer server, ExecutorService executor, boolean loopback) {
    this.admin = admin;
    this.server = server;
    this.executor = executor;
    this.maxBody = options.maxBodyBytes();
    this.loopback = loopback;
    this.tokenHash = sha256(admin.token());
    this.threadDumps = RateLimit.perMinute(options.threadDumpsPerMinute());
    routes.put("", (ex, method, seg, deferred) -> dashboard(ex, method));
    routes.put("health", (ex, method, seg, deferred) -> health(ex, method, seg));
    routes.put("services", this::services);
    routes.put("graph.dot", (ex, method, seg, deferred) -> graph(ex, method, seg, true));
    routes.put("graph.mmd", (ex, method, seg, deferred) -> graph(ex, method, seg, false));
    routes.put("threads", (ex, method, seg, deferred) -> threads(ex, method, seg));
    routes.put("metrics", (ex, method, seg, deferred) -> metrics(ex, method, seg));
    routes.put("events", (ex, method, seg, deferred) -> events(ex, method, seg));
    routes.put("loggers", (ex, method, seg, deferred) -> loggers(ex, method, seg));
    routes.put("info", (ex, method, seg, deferred) -> info(ex, method, seg));
  }

  static AdminHttp start(AdminService admin, AdminOptions options) throws IOException {
    ServerLimits.apply();
    InetAddress bind = InetAddress.getByName(options.bindAddress());
    HttpServer server = HttpServer.create(new InetSocketAddress(bind, options.port()), 64);
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    AdminHttp http = new AdminHttp(admin, options, server, executor, bind.isLoopbackAddress());
    server.createContext("/", http);
    server.setExecutor(executor);
    server.start();
    return http;
  }

  int port() {
    return server.getAddress().getPort();
  }

  InetSocketAddress address() {
    return server.getAddress();
  }

  /** Stops listening at once; exchanges still running are interrupted, not awaited. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  // ------------------------------------------------------------------------------------------
  // Checks, then routing

  @Override
  public void handle(HttpExchange ex) {
    AdminService.Outcome[] deferred = new AdminService.Outcome[1];
    try {
      serve(ex, deferred);
    } catch (HttpError e) {
      if (e.allow != null) ex.getResponseHeaders().set("Allow", e.allow);
      if (e.retryAfterSeconds > 0) ex.getResponseHeaders().set("Retry-After", Long.toString(e.retryAfterSeconds));
      send(ex, e.status, e.body());
    } catch (AdminService.Refused e) {
      send(ex, 409, error(409, e.getMessage(), null));
    } catch (Exception e) {
      LOG.error("Admin request {} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
      send(ex, 500, error(500, "Internal error: " + e, null));
    } finally {
      ex.close();
      // an action that stops the admin itself runs only once the answer has gone out
      if (deferred[0] != null) deferred[0].proceed();
    }
  }

  private void serve(HttpExchange ex, AdminService.Outcome[] deferred) throws IOException {
    String rawUri = ex.getRequestURI().toString();
    if (rawUri.length() > MAX_URI_CHARS) {
      throw new HttpError(414, "URI of " + rawUri.length() + " characters is too long; at most " + MAX_URI_CHARS);
    }
    checkHead(ex.getRequestHeaders());
    checkHost(ex.getRequestHeaders().get("Host"), ex.getRequestURI());
    consumeBody(ex);
    String rawPath = ex.getRequestURI().getRawPath();
    if (rawPath == null || !rawPath.startsWith("/")) {
      throw new HttpError(400, "Request target \"" + clip(rawUri) + "\" is not an absolute path such as /services");
    }
    // only POST /loggers/{name} reads a parameter (level); elsewhere a query string (cache busters add one) is ignored
    List<String> segments = segments(rawPath);
    String method = ex.getRequestMethod();
    Route route = routes.get(segments.isEmpty() ? "" : segments.get(0));
    if (route == null) throw notFound(segments);
    route.serve(ex, method, segments, deferred);
  }

  private static void dashboard(HttpExchange ex, String method) {
    requireGet(method);
    ex.getResponseHeaders().set(
        "Content-Security-Policy",
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; "
            + "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    send(ex, 200, new Body("text/html; charset=utf-8", DASHBOARD));
  }

  private void graph(HttpExchange ex, String method, List<String> seg, boolean dot) {
    only(seg, 1);
    requireGet(method);
    DependencyGraph graph = DependencyGraph.of(admin.root());
    if (dot) {
      send(ex, 200, text("text/vnd.graphviz; charset=utf-8", graph.toDot()));
    } else {
      send(ex, 200, text("text/plain; charset=utf-8", graph.toMermaid()));
    }
  }

  private void threads(HttpExchange ex, String method, List<String> seg) {
    only(seg, 1);
    requireGet(method);
    long waitNanos = threadDumps.tryAcquire(System.nanoTime());
    if (waitNanos > 0) {
      HttpError e = new HttpError(429, "Too many thread dumps: at most " + threadDumps.describe()
          + "; try again in " + Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L) + " s");
      e.retryAfterSeconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
      throw e;
    }
    ThreadDump dump = ThreadDump.take(admin.root());
    String accept = ex.getRequestHeaders().getFirst("Accept");
    if (accept != null && accept.toLowerCase(Locale.ROOT).contains("text/plain")) {
      send(ex, 200, text("text/plain; charset=utf-8", dump.toText()));
    } else {
      send(ex, 200, json(g -> ServiceJson.writeThreads(g, dump)));
    }
  }

  private void metrics(HttpExchange ex, String method, List<String> seg) {
    only(seg, 1);
    requireGet(method);
    AdminMetrics m = admin.metrics();
    if (m == null) throw new HttpError(503, "The admin is stopping: no metrics now");
    send(ex, 200, text("text/plain; version=0.0.4; charset=utf-8", m.scrape()));
  }

  private void events(HttpExchange ex, String method, List<String> seg) {
    only(seg, 1);
    requireGet(method);
    send(ex, 200, json(admin.lifecycle()::writeJson));
  }

  private void info(HttpExchange ex, String method, List<String> seg) {
    only(seg, 1);
    requireGet(method);
    send(ex, 200, json(g -> InfoEndpoint.write(g, admin.root())));
  }

  private void loggers(HttpExchange ex, String method, List<String> seg) {
    if (seg.size() > 2) throw notFound(seg);
    if (method.equals("POST") && seg.size() == 2) {
      requireToken(ex);
      send(ex, 200, LoggersEndpoint.set(seg.get(1), ex.getRequestURI().getRawQuery(), "HTTP from " + ex.getRemoteAddress()));
      return;
    }
    if (!(method.equals("GET") || method.equals("HEAD"))) throw methodNotAllowed(method, seg.size() == 2 ? "GET, HEAD, POST" : "GET, HEAD");
    send(ex, 200, seg.size() == 1 ? LoggersEndpoint.list() : LoggersEndpoint.get(seg.get(1)));
  }

  private void health(HttpExchange ex, String method, List<String> seg) throws IOException {
    if (seg.size() != 2 || !admin.health().knows(seg.get(1))) throw notFound(seg);
    requireGet(method);
    Health.Report report = admin.health().report(seg.get(1));
    send(ex, report.up() ? 200 : 503, json(report::writeJson));
  }

  private void services(HttpExchange ex, String method, List<String> seg, AdminService.Outcome[] deferred) {
    Service root = admin.root();
    if (seg.size() == 1) {
      requireGet(method);
      boolean ready = admin.isReady();
      send(ex, 200, json(g -> ServiceJson.writeTree(g, root, ready, admin.lifecycle()::crashes)));
      return;
    }
    String last = seg.get(seg.size() - 1);
    boolean action = seg.size() > 2 && (last.equals("restart") || last.equals("stop"));
    if (method.equals("POST")) {
      if (!action) {
        if (ServicePaths.find(root, join(seg, 1, seg.size())).isPresent()) throw methodNotAllowed(method, "GET, HEAD");
        throw new HttpError(404, "No action \"" + last + "\": POST /services/{path}/restart or /services/{path}/stop");
      }
      requireToken(ex);
      String path = join(seg, 1, seg.size() - 1);
      Service target = ServicePaths.find(root, path).orElseThrow(() -> noSuchService(root, path));
      AdminService.Action a = last.equals("restart") ? AdminService.Action.RESTART : AdminService.Action.STOP;
      AdminService.Outcome outcome;
      try {
        outcome = admin.control(target, a, "HTTP from " + ex.getRemoteAddress());
      } catch (AdminService.Refused e) {
        throw e;
      } catch (RuntimeException e) {
        throw new HttpError(500, a.word() + " of " + path + " failed: " + e.getMessage() + " (state now " + target.state() + ")");
      }
      deferred[0] = outcome;
      send(ex, outcome.accepted ? 202 : 200, json(g -> {
        g.writeStartObject();
        g.writeStringField("path", target.path());
        g.writeStringField("action", a.word());
        g.writeBooleanField("accepted", outcome.accepted);
        g.writeStringField("state", target.state().name());
        g.writeNumberField("restartCount", target.restartCount());
        g.writeEndObject();
      }));
      return;
    }
    if (!(method.equals("GET") || method.equals("HEAD"))) {
      throw methodNotAllowed(method, action ? "POST" : "GET, HEAD");
    }
    String path = join(seg, 1, seg.size());
    Optional<Service> found = ServicePaths.find(root, path);
    if (found.isEmpty() && action && ServicePaths.find(root, join(seg, 1, seg.size() - 1)).isPresent()) {
      throw methodNotAllowed(method, "POST");
    }
    Service s = found.orElseThrow(() -> noSuchService(root, path));
    int depth = 1;
    for (Service up = s; up != root && up.parent().isPresent(); up = up.parent().get()) depth++;
    int d = depth;
    send(ex, 200, json(g -> ServiceJson.writeService(g, s, d, admin.lifecycle()::crashes)));
  }

  // ------------------------------------------------------------------------------------------
  // Request checks

  // A page on another site could reach a loopback port through DNS rebinding; its Host header
  // would then name that site, so a loopback-bound admin answers only to loopback names. The whole
  // header is parsed (host, then an optional :port of digits), as is an absolute-form target's
  // authority, so "127.0.0.1:1.evil.example" or "[::1]evil.example" do not pass as loopback.
  private void checkHost(List<String> hosts, URI target) {
    if (hosts != null && hosts.size() > 1) {
      throw new HttpError(400, "The request has " + hosts.size() + " Host headers; send exactly one");
    }
    String host = hosts == null || hosts.isEmpty() ? null : hosts.get(0);
    if (host != null && parseHost(host) == null) {
      throw new HttpError(400, "Host \"" + clip(host) + "\" is not HOST or HOST:PORT (an IPv6 address in brackets)");
    }
    String authority = target.getRawAuthority();
    if (!loopback) return;
    if (host != null && !isLoopbackName(parseHost(host))) {
      throw new HttpError(403, "Host \"" + clip(host) + "\" is refused: " + LOOPBACK_ONLY);
    }
    if (authority != null) {
      String name = parseHost(authority);
      if (name == null || !isLoopbackName(name)) {
        throw new HttpError(403, "Request target naming host \"" + clip(authority) + "\" is refused: " + LOOPBACK_ONLY);
      }
    }
  }

  private static final String LOOPBACK_ONLY =
      "this admin listens on loopback and answers to localhost, 127.0.0.1 or [::1] only";

  /**
   * The host of a Host header value or URI authority ({@code host}, {@code host:port}, {@code
   * [v6]}, {@code [v6]:port}), lower case, brackets kept; null if it is not of that form.
   */
  static String parseHost(String value) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    String host;
    String rest;
    if (v.startsWith("[")) {
      int end = v.indexOf(']');
      if (end < 0) return null;
      host = v.substring(0, end + 1);
      rest = v.substring(end + 1);
    } else {
      int colon = v.indexOf(':');
      host = colon < 0 ? v : v.substring(0, colon);
      rest = colon < 0 ? "" : v.substring(colon);
      if (host.isEmpty() || !host.matches("[a-z0-9._~!$&'()*+,;=%-]+")) return null;
    }
    if (!rest.isEmpty() && !rest.matches(":[0-9]{0,5}")) return null;
    return host;
  }

  private static boolean isLoopbackName(String host) {
    if (host.equals("localhost") || host.equals("[::1]") || host.equals("[0:0:0:0:0:0:0:1]")) return true;
    String[] octets = host.split("\\.", -1);
    if (octets.length != 4 || !octets[0].equals("127")) return false;
    for (String o : octets) {
      if (!o.matches("[0-9]{1,3}") || Integer.parseInt(o) > 255) return false;
    }
    return true;
  }

  // the JDK server caps heads far higher (and resets the connection past its cap): answer here
  private static void checkHead(Headers headers) {
    long size = 0;
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      for (String v : e.getValue()) size += e.getKey().length() + v.length() + 4;
    }
    if (size > MAX_HEAD_BYTES) {
      throw new HttpError(431, "Request header fields of " + size + " bytes are too large; at most " + MAX_HEAD_BYTES);
    }
  }

  // reads and drops the body (no endpoint takes one), refusing one over the limit
  private void consumeBody(HttpExchange ex) {
    Headers h = ex.getRequestHeaders();
    String length = h.getFirst("Content-Length");
    if (length != null) {
      long n;
      try {
        n = Long.parseLong(length.strip());
      } catch (NumberFormatException e) {
        throw new HttpError(400, "Content-Length \"" + clip(length) + "\" is not a number of bytes");
      }
      if (n < 0) throw new HttpError(400, "Content-Length " + n + " is negative");
      if (n > maxBody) {
        ex.getResponseHeaders().set("Connection", "close");
        throw new HttpError(413, "Body of " + n + " bytes is too large; at most " + maxBody);
      }
    }
    InputStream in = ex.getRequestBody();
    int read;
    try {
      read = in.readNBytes(maxBody + 1).length;
    } catch (IOException | RuntimeException e) {
      // a body cut short, or a bad chunk size (the JDK's chunk parser overflows on sizes >= 2^31 and
      // fails with an unchecked exception): the connection cannot carry another request
      ex.getResponseHeaders().set("Connection", "close");
      throw new HttpError(400, "Malformed or truncated request body: " + e.getMessage()
          + "; send Content-Length bytes exactly, or chunked encoding with hex chunk sizes below 2^31");
    }
    if (read > maxBody) {
      ex.getResponseHeaders().set("Connection", "close");
      throw new HttpError(413, "Body is too large; at most " + maxBody + " bytes");
    }
  }

  private void requireToken(HttpExchange ex) {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    String given = null;
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) given = auth.substring(7).strip();
    // compare digests: constant time, and the time does not reveal the token's length either
    if (given == null || !MessageDigest.isEqual(sha256(given), tokenHash)) {
      ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"mode-admin\"");
      throw new HttpError(401, auth == null
          ? "Restart, stop and log level changes need the header Authorization: Bearer <token> (the token is logged at start or set with --admin-token)"
          : "The bearer token is wrong");
    }
  }

  private static void requireGet(String method) {
    if (!(method.equals("GET") || method.equals("HEAD"))) throw methodNotAllowed(method, "GET, HEAD");
  }

  private static void only(List<String> seg, int size) {
    if (seg.size() != size) throw notFound(seg);
  }

  private static HttpError methodNotAllowed(String method, String allow) {
    HttpError e = new HttpError(405, "Method " + clip(method) + " is not allowed here; use " + allow);
    e.allow = allow;
    return e;
  }

  private static HttpError notFound(List<String> seg) {
    return new HttpError(404, "No endpoint /" + clip(String.join("/", seg)) + "; the endpoints are: " + ENDPOINTS);
  }

  private static HttpError noSuchService(Service root, String path) {
    String closest = ServicePaths.nearest(root, path);
    HttpError e = new HttpError(404, "No service at path \"" + clip(path) + "\"; did you mean \"" + closest + "\"?");
    e.suggestion = closest;
    return e;
  }

  /** Splits a raw path into decoded segments; strict: a bad %-escape or invalid UTF-8 is a 400. */
  static List<String> segments(String rawPath) {
    List<String> out = new ArrayList<>();
    for (String part : rawPath.substring(1).split("/", -1)) {
      if (part.isEmpty()) continue; // "//" and a trailing "/" add nothing
      out.add(decode(part));
    }
    return out;
  }

  private static String decode(String s) {
    if (s.indexOf('%') < 0) return s;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '%') {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
        continue;
      }
      if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0 || Character.digit(s.charAt(i + 2), 16) < 0) {
        throw new HttpError(400, "Bad %-escape in path segment \"" + clip(s) + "\": use %XX with two hex digits");
      }
      bytes.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
      i += 2;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new HttpError(400, "Path segment \"" + clip(s) + "\" is not %-escaped UTF-8");
    }
  }

  private static String join(List<String> seg, int from, int to) {
    return String.join("/", seg.subList(from, to));
  }

  private static String clip(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }

  // ------------------------------------------------------------------------------------------
  // Answers

  record Body(String type, byte[] bytes) {}

  interface JsonWriter {
    void write(JsonGenerator g) throws IOException;
  }

  static Body json(JsonWriter w) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      w.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Body("application/json", out.toByteArray());
  }

  static Body text(String type, String text) {
    return new Body(type, text.getBytes(StandardCharsets.UTF_8));
  }

  static Body error(int status, String message, String suggestion) {
    return json(g -> {
      g.writeStartObject();
      g.writeNumberField("status", status);
      g.writeStringField("error", message);
      if (suggestion != null) g.writeStringField("suggestion", suggestion);
      g.writeEndObject();
    });
  }

  static void send(HttpExchange ex, int status, Body body) {
    try {
      Headers h = ex.getResponseHeaders();
      h.set("Content-Type", body.type());
      h.set("Cache-Control", "no-store");
      h.set("X-Content-Type-Options", "nosniff");
      h.set("Referrer-Policy", "no-referrer");
      if (ex.getRequestMethod().equals("HEAD")) {
        ex.sendResponseHeaders(status, -1);
      } else {
        ex.sendResponseHeaders(status, body.bytes().length == 0 ? -1 : body.bytes().length);
        try (OutputStream out = ex.getResponseBody()) {
          if (body.bytes().length > 0) out.write(body.bytes());
        }
      }
    } catch (IOException e) {
      LOG.debug("Could not answer {} {}: {}", ex.getRequestMethod(), ex.getRequestURI(), e.toString());
    }
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  private static byte[] loadDashboard() {
    try (InputStream in = AdminHttp.class.getResourceAsStream("dashboard.html")) {
      if (in == null) throw new IllegalStateException("dashboard.html is missing from the mode-admin jar");
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Ends a request with {@code status} and a JSON error body. */
  static final class HttpError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    String allow;
    String suggestion;
    long retryAfterSeconds;

    HttpError(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }

    Body body() {
      return error(status, getMessage(), suggestion);
    }
  }
}
