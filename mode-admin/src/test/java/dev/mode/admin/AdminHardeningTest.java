package dev.mode.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Hostile input the admin's HTTP side must survive (issue 13): Host header tricks, malformed bodies,
 * oversized heads, half-sent requests, thread-dump floods. Each test names the defect it covers.
 */
class AdminHardeningTest extends RunningAdmin {

  // defect 8: the Host header is parsed whole, not cut at its first ':'
  @Test
  void hostHeadersThatOnlyStartWithALoopbackNameAreRefused() {
    for (String host : List.of("127.0.0.1:1.evil.example", "localhost:evil.example", "[::1]evil.example",
        "localhost.evil.example", "127.0.0.1.evil.example", "127.0.0.999")) {
      assertThat(http.raw("GET /services HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n"))
          .as("Host: %s", host)
          .isBetween(400, 403);
    }
    for (String host : List.of("localhost", "localhost:6066", "127.0.0.1", "127.1.2.3:80", "[::1]", "[::1]:6066", "LOCALHOST")) {
      assertThat(http.raw("GET /services HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n"))
          .as("Host: %s", host)
          .isEqualTo(200);
    }
  }

  // defect 8: two Host headers, and an absolute-form target naming another host
  @Test
  void twoHostHeadersOrAnAbsoluteTargetNamingAnotherHostAreRefused() {
    assertThat(http.raw("GET /services HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\nConnection: close\r\n\r\n"))
        .isEqualTo(400);
    assertThat(http.raw("GET http://evil.example/services HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
        .isEqualTo(403);
    assertThat(http.raw("GET http://localhost/services HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
        .as("an absolute target naming this host is fine")
        .isEqualTo(200);
  }

  // defect 3: a body cut short, a bad chunk size, a chunk size >= 2^31: 400, and no ERROR stack
  @Test
  void malformedBodiesGet400AndLogNoError() {
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    Logger logger = (Logger) LoggerFactory.getLogger(AdminHttp.class);
    logger.addAppender(logged);
    try {
      String head = "POST /services/App/Cache/restart HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n";
      assertThat(http.raw(head + "Content-Length: 100\r\n\r\nonly twenty bytes...")).as("cut short").isEqualTo(400);
      assertThat(http.raw(head + "Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n")).as("bad chunk size").isEqualTo(400);
      assertThat(http.raw(head + "Transfer-Encoding: chunked\r\n\r\n80000000\r\nhello\r\n0\r\n\r\n")).as("2^31").isEqualTo(400);
      assertThat(http.raw(head + "Transfer-Encoding: chunked\r\n\r\nffffffff\r\nhello\r\n0\r\n\r\n")).as("2^32-1").isEqualTo(400);
      assertThat(logged.list).as("log lines at ERROR").noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.ERROR));
      assertThat(app.cache.restartCount()).as("nothing was restarted").isZero();
    } finally {
      logger.detachAppender(logged);
    }
  }

  // defect 9: a head over the admin's limit gets 431 instead of a reset
  @Test
  void anOversizedRequestHeadGets431() {
    String big = "x".repeat(AdminHttp.MAX_HEAD_BYTES + 1);
    assertThat(http.raw("GET /services HTTP/1.1\r\nHost: localhost\r\nX-Big: " + big + "\r\nConnection: close\r\n\r\n"))
        .isEqualTo(431);
  }

  // defect 9: half-sent requests (slowloris) are closed within the request timeout
  @Test
  void halfSentRequestsAreClosedWithinTheRequestTimeout() throws IOException {
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < 50; i++) {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(admin.address().getAddress(), admin.port()), 5000);
        OutputStream out = s.getOutputStream();
        out.write("GET /services HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        sockets.add(s);
      }
      long t0 = System.nanoTime();
      for (Socket s : sockets) {
        s.setSoTimeout((ServerLimits.MAX_REQ_TIME_SECONDS + 10) * 1000);
        assertThat(closedByServer(s)).as("the server closed a half-sent request").isTrue();
      }
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      assertThat(took).as("closed within the request timeout and the JDK's 1 s timer tick")
          .isLessThan(Duration.ofSeconds(ServerLimits.MAX_REQ_TIME_SECONDS + 3));
    } finally {
      for (Socket s : sockets) s.close();
    }
    assertThat(http.get("/health/live").statusCode()).as("the admin still answers").isEqualTo(200);
  }

  private static boolean closedByServer(Socket s) {
    try {
      InputStream in = s.getInputStream();
      return in.read() < 0;
    } catch (SocketException reset) {
      return true;
    } catch (IOException timeout) {
      return false;
    }
  }

  // defect 1: /threads is rate-limited; past the limit 429 with Retry-After
  @Test
  void threadDumpsPastTheRateLimitGet429WithRetryAfter() {
    AdminService limited = new AdminService(app, Fixtures.options().threadDumpsPerMinute(2));
    limited.start();
    try {
      Http h = new Http(limited.uri());
      assertThat(h.get("/threads").statusCode()).isEqualTo(200);
      assertThat(h.get("/threads").statusCode()).isEqualTo(200);
      HttpResponse<String> third = h.get("/threads");
      assertThat(third.statusCode()).as(third.body()).isEqualTo(429);
      assertThat(third.headers().firstValue("Retry-After"))
          .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 30L));
      assertThat(third.body()).contains("at most 2 per minute");
      assertThat(h.get("/services").statusCode()).as("other endpoints are not limited").isEqualTo(200);
    } finally {
      limited.stop();
    }
  }

  // defect 10: the root's prefix may be left out of service paths
  @Test
  void servicePathsWorkWithOrWithoutTheRootPrefix() {
    assertThat(http.json("/services/Cache").path("path").asText()).isEqualTo("App/Cache");
    assertThat(http.json("/services/App/Cache").path("path").asText()).isEqualTo("App/Cache");
    assertThat(http.json("/services/Cache").path("depth").asInt()).isEqualTo(2);
    HttpResponse<String> r = http.post("/services/Cache/restart", Fixtures.TOKEN);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(app.cache.restartCount()).isEqualTo(1);
    assertThat(Http.parse(http.get("/services/Cahce").body()).path("suggestion").asText()).isEqualTo("App/Cache");
  }

  // defect 10: GET /graph.dot colours each node by its state, not all green
  @Test
  void theDotGraphColoursNodesByState() {
    app.fetcher.stop();
    app.cache.crash(new IllegalStateException("cache corrupt"));
    String dot = http.get("/graph.dot").body();
    assertThat(dot).contains("[label=\"Cache\", fillcolor=\"tomato\"]").contains("[label=\"Fetcher\", fillcolor=\"lightgrey\"]");
  }
}
