package dev.mode.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mode.State;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The HTTP admin of a running App[Cache, Fetcher], with the admin started beside the root. */
class AdminHttpTest extends RunningAdmin {

  @Test
  void listensOnLoopbackOnAnEphemeralPortByDefault() {
    assertThat(admin.address().getAddress().isLoopbackAddress()).isTrue();
    assertThat(admin.port()).isPositive();
    assertThat(admin.uri().toString()).isEqualTo("http://127.0.0.1:" + admin.port() + "/");
  }

  @Test
  void readyAndLiveWhileEveryServiceRuns() {
    HttpResponse<String> ready = http.get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(Http.parse(ready.body()).path("status").asText()).isEqualTo("UP");
    assertThat(http.get("/health/live").statusCode()).isEqualTo(200);
  }

  @Test
  void notReadyWhileAServiceIsStoppedAndNamesIt() {
    app.cache.stop();
    HttpResponse<String> ready = http.get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.body()).contains("App/Cache is SHUTDOWN");
    assertThat(http.get("/health/live").statusCode()).as("a stopped child does not make the program dead").isEqualTo(200);
  }

  @Test
  void notReadyAsSoonAsAStopBeginsEvenBeforeAnythingHasStopped() throws Exception {
    Fixtures.SlowStopService slow = new Fixtures.SlowStopService();
    AdminService local = new AdminService(slow, Fixtures.options());
    slow.start();
    local.start();
    try {
      Http h = new Http(local.uri());
      assertThat(h.get("/health/ready").statusCode()).isEqualTo(200);
      CompletableFuture<Void> stopping = CompletableFuture.runAsync(slow::stop);
      slow.stopping.await();
      assertThat(h.get("/health/ready").statusCode()).isEqualTo(503);
      assertThat(h.get("/health/ready").body()).contains("SlowStopService is STOPPING");
      slow.release.countDown();
      stopping.get();
    } finally {
      slow.release.countDown();
      local.stop();
    }
  }

  @Test
  void drainFailsReadinessAtOnceAndWaitsTheDrainDelay() {
    assertThat(admin.isDraining()).isFalse();
    admin.beginDrain();
    assertThat(http.get("/health/ready").statusCode()).isEqualTo(503);
    assertThat(http.get("/health/ready").body()).contains("draining");
    assertThat(http.get("/health/live").statusCode()).isEqualTo(200);
    assertThat(app.state()).as("draining stops nothing").isEqualTo(State.RUNNING);
  }

  @Test
  void drainReturnsAfterTheConfiguredDelay() {
    AdminService drainer = new AdminService(app, Fixtures.options().drainDelay(Duration.ofMillis(300)));
    long t0 = System.nanoTime();
    drainer.drain();
    assertThat(drainer.isDraining()).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(drainer.drainDelay()).isEqualTo(Duration.ofMillis(300));
  }

  @Test
  void notLiveOnceTheRootCrashed() {
    app.crash(new IllegalStateException("disk full"));
    HttpResponse<String> live = http.get("/health/live");
    assertThat(live.statusCode()).isEqualTo(503);
    assertThat(live.body()).contains("disk full");
  }

  @Test
  void servicesListsTheTreeWithStatesCountersTasksAndTimers() {
    await().until(() -> app.cache.timers().get(0).runs() >= 2);
    JsonNode tree = http.json("/services");
    assertThat(tree.path("root").asText()).isEqualTo("App");
    assertThat(tree.path("ready").asBoolean()).isTrue();
    List<String> paths = new ArrayList<>();
    tree.path("services").forEach(s -> paths.add(s.path("path").asText()));
    assertThat(paths).containsExactly("App", "App/Cache", "App/Fetcher");
    JsonNode cache = tree.path("services").get(1);
    assertThat(cache.path("state").asText()).isEqualTo("RUNNING");
    assertThat(cache.path("parent").asText()).isEqualTo("App");
    assertThat(cache.path("depth").asInt()).isEqualTo(2);
    assertThat(cache.path("uptimeMs").asDouble()).isPositive();
    assertThat(cache.path("startDurationMs").isNumber()).isTrue();
    assertThat(cache.path("stopDurationMs").isNull()).isTrue();
    assertThat(cache.path("restartCount").asInt()).isZero();
    assertThat(cache.path("crashReason").isNull()).isTrue();
    JsonNode timer = cache.path("timers").get(0);
    assertThat(timer.path("name").asText()).isEqualTo("expire");
    assertThat(timer.path("schedule").asText()).isNotEmpty();
    assertThat(timer.path("runs").asLong()).isGreaterThanOrEqualTo(2);
    assertThat(timer.path("nextRun").isTextual()).isTrue();
    JsonNode fetcher = tree.path("services").get(2);
    assertThat(fetcher.path("tasks").get(0).path("name").asText()).isEqualTo("fetch");
    assertThat(fetcher.path("tasks").get(0).path("thread").asText()).startsWith("App/Fetcher:");
  }

  @Test
  void oneServiceByItsPath() {
    JsonNode cache = http.json("/services/App/Cache");
    assertThat(cache.path("path").asText()).isEqualTo("App/Cache");
    assertThat(cache.path("depth").asInt()).isEqualTo(2);
  }

  @Test
  void percentEncodedLabelsAreFoundAndRestarted() {
    Fixtures.NoOpService odd = app.addRuntimeDependency(new Fixtures.NoOpService("Late Comer/é"));
    assertThat(http.json("/services/App/Late%20Comer%2F%C3%A9").path("path").asText()).isEqualTo("App/Late Comer/é");
    assertThat(http.post("/services/App/Late%20Comer%2F%C3%A9/restart", Fixtures.TOKEN).statusCode()).isEqualTo(200);
    assertThat(odd.restartCount()).isEqualTo(1);
  }

  @Test
  void crashReasonAndCrashCountShowAfterACrash() {
    app.cache.crash(new IllegalStateException("cache corrupt"));
    JsonNode cache = http.json("/services/App/Cache");
    assertThat(cache.path("state").asText()).isEqualTo("CRASHED");
    assertThat(cache.path("crashReason").asText()).contains("cache corrupt");
    assertThat(cache.path("crashCount").asInt()).isEqualTo(1);
    JsonNode events = http.json("/events").path("events");
    assertThat(events.findValuesAsText("kind")).contains("crash");
    assertThat(events.findValuesAsText("detail")).anyMatch(d -> d.contains("cache corrupt"));
  }

  @Test
  void graphAsDotAndMermaid() {
    HttpResponse<String> dot = http.get("/graph.dot");
    assertThat(dot.statusCode()).isEqualTo(200);
    assertThat(dot.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/vnd.graphviz"));
    assertThat(dot.body()).contains("digraph").contains("Cache").contains("Fetcher");
    HttpResponse<String> mmd = http.get("/graph.mmd");
    assertThat(mmd.statusCode()).isEqualTo(200);
    assertThat(mmd.body()).contains("Cache").contains("Fetcher");
  }

  @Test
  void threadDumpGroupsVirtualThreadsByServicePath() {
    JsonNode groups = http.json("/threads").path("groups");
    JsonNode fetcher = null;
    for (JsonNode g : groups) if (g.path("service").asText().equals("App/Fetcher")) fetcher = g;
    assertThat(fetcher).as("a group for App/Fetcher in %s", groups).isNotNull();
    JsonNode t = fetcher.path("threads").get(0);
    assertThat(t.path("name").asText()).isEqualTo("App/Fetcher:fetch");
    assertThat(t.path("virtual").asBoolean()).isTrue();
    assertThat(t.path("stack").toString()).contains("Fixtures$Fetcher.fetch");
    JsonNode rest = groups.get(groups.size() - 1);
    assertThat(rest.path("service").isNull()).isTrue();
    assertThat(rest.path("threads").findValuesAsText("name")).as("platform threads are in the last group").contains("main");
  }

  @Test
  void threadDumpAsTextWhenAskedForPlainTextInTheFormatSigusr1Prints() {
    HttpResponse<String> r = http.get("/threads", "text/plain");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .startsWith("Thread dump of process ")
        .contains("== App/Fetcher [RUNNING]\n  \"App/Fetcher:fetch\" #")
        .contains(" virtual ")
        .contains("== threads no service owns");
  }

  @Test
  void restartWithTheTokenRestartsTheServiceAndAnswersItsNewState() {
    HttpResponse<String> r = http.post("/services/App/Cache/restart", Fixtures.TOKEN);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = Http.parse(r.body());
    assertThat(body.path("state").asText()).isEqualTo("RUNNING");
    assertThat(body.path("restartCount").asInt()).isEqualTo(1);
    assertThat(app.cache.restartCount()).isEqualTo(1);
    assertThat(app.fetcher.restartCount()).as("siblings are left alone").isZero();
  }

  @Test
  void aRestartThatFailsIs500WithTheReasonAndTheServiceCrashed() {
    Fixtures.FailRestartService fragile = app.addRuntimeDependency(new Fixtures.FailRestartService());
    HttpResponse<String> r = http.post("/services/App/FailRestartService/restart", Fixtures.TOKEN);
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).contains("config file vanished").contains("CRASHED");
    assertThat(fragile.state()).isEqualTo(State.CRASHED);
    HttpResponse<String> live = http.get("/health/live");
    assertThat(live.statusCode()).as("the crash reached the root, so the program is not live").isEqualTo(503);
    assertThat(live.body()).contains("config file vanished");
  }

  @Test
  void stopWithTheTokenStopsTheService() {
    HttpResponse<String> r = http.post("/services/App/Fetcher/stop", Fixtures.TOKEN);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(app.fetcher.state()).isEqualTo(State.SHUTDOWN);
    assertThat(app.state()).isEqualTo(State.RUNNING);
  }

  @Test
  void restartWithoutTheTokenIs401AndChangesNothing() {
    HttpResponse<String> none = http.post("/services/App/Cache/restart", null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(none.body()).contains("Authorization: Bearer");
    HttpResponse<String> wrong = http.post("/services/App/Cache/restart", Fixtures.TOKEN + "x");
    assertThat(wrong.statusCode()).isEqualTo(401);
    HttpResponse<String> prefix = http.post("/services/App/Cache/restart", Fixtures.TOKEN.substring(0, 10));
    assertThat(prefix.statusCode()).isEqualTo(401);
    assertThat(app.cache.restartCount()).isZero();
    assertThat(app.cache.state()).isEqualTo(State.RUNNING);
  }

  @Test
  void unknownPathIs404WithTheClosestPathSuggested() {
    HttpResponse<String> r = http.post("/services/App/Cahce/restart", Fixtures.TOKEN);
    assertThat(r.statusCode()).isEqualTo(404);
    JsonNode body = Http.parse(r.body());
    assertThat(body.path("suggestion").asText()).isEqualTo("App/Cache");
    assertThat(body.path("error").asText()).contains("App/Cahce").contains("did you mean \"App/Cache\"");
    assertThat(http.get("/services/app/fetchr").body()).contains("App/Fetcher");
  }

  @Test
  void wrongMethodIs405WithAllow() {
    HttpResponse<String> r = http.method("DELETE", "/services", new byte[0]);
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Allow")).hasValue("GET, HEAD");
    HttpResponse<String> get = http.get("/services/App/Cache/restart");
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    assertThat(http.post("/health/ready", Fixtures.TOKEN).statusCode()).isEqualTo(405);
  }

  @Test
  void unknownEndpointIs404AndListsTheEndpoints() {
    HttpResponse<String> r = http.get("/nope");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).contains("/health/ready").contains("/metrics");
    assertThat(http.post("/services/App/Cache/explode", Fixtures.TOKEN).statusCode()).isEqualTo(404);
  }

  @Test
  void badEscapeIs400() {
    assertThat(http.raw("GET /services/%zz HTTP/1.1\r\nHost: localhost\r\n\r\n")).isEqualTo(400);
    assertThat(http.raw("GET /services/%C3%28 HTTP/1.1\r\nHost: localhost\r\n\r\n")).as("invalid UTF-8").isEqualTo(400);
  }

  @Test
  void bodyOverTheLimitIs413() {
    byte[] big = new byte[AdminOptions.DEFAULT_MAX_BODY_BYTES + 1];
    assertThat(http.method("POST", "/services/App/Cache/restart", big).statusCode()).isEqualTo(413);
    String chunked = "POST /services/App/Cache/restart HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
        + Integer.toHexString(big.length) + "\r\n" + "a".repeat(big.length) + "\r\n0\r\n\r\n";
    assertThat(http.raw(chunked)).as("a chunked body is counted too").isEqualTo(413);
    assertThat(app.cache.restartCount()).isZero();
  }

  @Test
  void overlongUriIs414() {
    assertThat(http.get("/services/" + "x".repeat(AdminHttp.MAX_URI_CHARS)).statusCode()).isEqualTo(414);
  }

  @Test
  void foreignHostHeaderIsRefusedOnLoopback() {
    assertThat(http.raw("GET /services HTTP/1.1\r\nHost: evil.example:80\r\n\r\n")).isEqualTo(403);
    assertThat(http.raw("GET /services HTTP/1.1\r\nHost: localhost:" + admin.port() + "\r\n\r\n")).isEqualTo(200);
    assertThat(http.raw("GET /services HTTP/1.1\r\nHost: [::1]:" + admin.port() + "\r\n\r\n")).isEqualTo(200);
  }

  @Test
  void headAnswersHeadersOnly() {
    HttpResponse<String> r = http.method("HEAD", "/services", new byte[0]);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
  }

  @Test
  void dashboardIsServedWithAContentSecurityPolicy() {
    HttpResponse<String> r = http.get("/");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(r.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).contains("frame-ancestors 'none'"));
    assertThat(r.body()).contains("<title>Mode admin</title>");
  }

  @Test
  void restartingTheServiceThatHoldsTheAdminIsAcceptedAndDoneInTheBackground() {
    Fixtures.App host = new Fixtures.App();
    AdminService inner = host.addDependency(new AdminService(host, Fixtures.options()));
    host.start();
    try {
      HttpResponse<String> r = new Http(inner.uri()).post("/services/App/restart", Fixtures.TOKEN);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
      assertThat(Http.parse(r.body()).path("accepted").asBoolean()).isTrue();
      await().until(() -> host.restartCount() == 1 && host.state() == State.RUNNING && inner.state() == State.RUNNING);
      assertThat(new Http(inner.uri()).get("/health/ready").statusCode()).as("the admin listens again").isEqualTo(200);
    } finally {
      host.stop();
    }
  }

  @Test
  void portAndUriNeedARunningAdmin() {
    AdminService idle = new AdminService(app, Fixtures.options());
    org.assertj.core.api.Assertions.assertThatThrownBy(idle::port)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not listening");
  }
}
