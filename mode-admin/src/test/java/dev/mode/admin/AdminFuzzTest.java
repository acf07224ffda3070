package dev.mode.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mode.graph.DependencyGraph;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random methods, paths, headers and bodies, sent as raw bytes: the admin keeps answering with a
 * client-error status (never a 5xx), and no service changes state without the token.
 */
class AdminFuzzTest extends RunningAdmin {
  static final int REQUESTS = 120;
  static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "TRACE", "CONNECT", "get", "P0ST", "G\u00c9T", ""};
  static final String[] PATHS = {
    "/", "/health/live", "/health/ready", "/services", "/services/App", "/services/App/Cache/restart",
    "/services/App/Fetcher/stop", "/services/App/restart", "/services/App/stop", "/graph.dot", "/graph.mmd",
    "/threads", "/metrics", "/events", "/services//App//Cache//restart", "/services/App/Cache/restart/",
    "/services/%41pp/Cache/stop", "/../../etc/passwd", "/services/App/%2e%2e/stop", "*", "http://localhost/services",
  };
  static final String PIECES = "aZ09/%.-_~!$&'()*+,;=:@?#[] \u00e9\u4e2d\t\u0000";

  @Override
  AdminOptions options() {
    return Fixtures.options().maxBodyBytes(4096);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 20261121, 987654321})
  void randomRequestsNeitherBreakTheServerNorChangeAnyServiceWithoutTheToken(long seed) {
    Random random = new Random(seed);
    List<String> before = snapshot();
    for (int i = 0; i < REQUESTS; i++) {
      byte[] request = randomRequest(random);
      int status = http.raw(request);
      String shown = new String(request, 0, Math.min(request.length, 160), StandardCharsets.ISO_8859_1);
      assertThat(status)
          .as("seed %d, request %d answered %d: %s", seed, i, status, shown)
          .satisfiesAnyOf(
              s -> assertThat(s).isEqualTo(-1), // the server may just close on a garbled request
              s -> assertThat(s).isBetween(200, 299),
              s -> assertThat(s).isBetween(400, 499),
              s -> assertThat(s).isEqualTo(501)); // HttpServer itself: a method it does not know
      assertThat(snapshot()).as("seed %d, request %d changed a service: %s", seed, i, shown).isEqualTo(before);
    }
    assertThat(http.get("/health/ready").statusCode()).as("seed %d: the admin still answers", seed).isEqualTo(200);
  }

  static final String[] MALFORMED_BODIES = {
    "Content-Length: 100\r\n\r\ncut short",
    "Content-Length: 1000\r\n\r\n",
    "Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
    "Transfer-Encoding: chunked\r\n\r\n80000000\r\nhello\r\n0\r\n\r\n",
    "Transfer-Encoding: chunked\r\n\r\nfffffffff\r\nhello\r\n0\r\n\r\n",
    "Transfer-Encoding: chunked\r\n\r\n5\r\nhel",
    "Transfer-Encoding: chunked\r\n\r\n",
  };

  // issue 13, defect 3: malformed bodies get 400, and leave no connection behind on the heap
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {7, 20261201})
  void malformedBodiesGet400AndLeaveNoConnectionObjectsBehind(long seed) {
    Random random = new Random(seed);
    long before = HeapHistogram.count(HeapHistogram.CONNECTION);
    for (int i = 0; i < 200; i++) {
      String path = PATHS[random.nextInt(PATHS.length)];
      if (path.equals("*")) path = "/"; // the JDK answers "*" itself (404), before any body is read
      String body = MALFORMED_BODIES[random.nextInt(MALFORMED_BODIES.length)];
      String method = random.nextBoolean() ? "POST" : "GET";
      String request = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n" + body;
      assertThat(http.raw(request)).as("seed %d, request %d: %s", seed, i, request).isEqualTo(400);
    }
    // the server closes a connection on its own timer tick: allow it that, then count
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(HeapHistogram.count(HeapHistogram.CONNECTION))
            .as("seed %d: %s instances after 200 malformed bodies (before: %d)", seed, HeapHistogram.CONNECTION, before)
            .isLessThanOrEqualTo(before + 5));
    assertThat(http.get("/health/ready").statusCode()).isEqualTo(200);
  }

  List<String> snapshot() {
    List<String> out = new ArrayList<>();
    DependencyGraph.walk(app, (s, depth) -> out.add(s.path() + " " + s.state() + " restarts=" + s.restartCount()));
    return out;
  }

  static byte[] randomRequest(Random r) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (r.nextInt(20) == 0) { // pure garbage
      byte[] junk = new byte[r.nextInt(300)];
      r.nextBytes(junk);
      out.writeBytes(junk);
      return out.toByteArray();
    }
    String method = r.nextInt(4) == 0 ? randomText(r, 1 + r.nextInt(8)) : METHODS[r.nextInt(METHODS.length)];
    String path = switch (r.nextInt(4)) {
      case 0 -> "/" + randomText(r, r.nextInt(40));
      case 1 -> PATHS[r.nextInt(PATHS.length)] + randomText(r, r.nextInt(6));
      case 2 -> "/services/" + randomText(r, 1 + r.nextInt(3000));
      default -> PATHS[r.nextInt(PATHS.length)];
    };
    byte[] body = new byte[r.nextInt(4) == 0 ? r.nextInt(12_000) : r.nextInt(64)];
    r.nextBytes(body);
    StringBuilder head = new StringBuilder();
    head.append(method).append(' ').append(path).append(r.nextInt(10) == 0 ? " HTTP/9.9" : " HTTP/1.1").append("\r\n");
    if (r.nextInt(10) != 0) head.append("Host: ").append(r.nextInt(5) == 0 ? "evil.example" : "localhost").append("\r\n");
    switch (r.nextInt(4)) {
      case 0 -> head.append("Authorization: Bearer ").append(randomText(r, r.nextInt(40))).append("\r\n");
      case 1 -> head.append("Authorization: ").append(randomText(r, r.nextInt(20))).append("\r\n");
      default -> { }
    }
    switch (r.nextInt(5)) {
      case 0 -> head.append("Content-Length: ").append(r.nextInt(3) == 0 ? randomText(r, 5) : String.valueOf(body.length)).append("\r\n");
      case 1 -> head.append("Content-Length: ").append(r.nextInt(100_000)).append("\r\n"); // may lie
      case 2 -> head.append("Transfer-Encoding: chunked\r\n");
      default -> { }
    }
    if (r.nextInt(6) == 0) head.append(randomText(r, 10)).append(": ").append(randomText(r, 30)).append("\r\n");
    head.append("Connection: close\r\n\r\n");
    out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
    out.writeBytes(body);
    return out.toByteArray();
  }

  static String randomText(Random r, int length) {
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) b.append(PIECES.charAt(r.nextInt(PIECES.length())));
    return b.toString();
  }
}
