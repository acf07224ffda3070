package dev.mode.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mode.HealthCheck;
import dev.mode.Service;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Health contributed by services, health groups and the startup probe, over real HTTP. */
class HealthProbesTest {

  /** A service whose database can be made unreachable, or whose check throws or hangs. */
  static final class Database extends Service implements HealthCheck {
    volatile boolean reachable = true;
    volatile boolean throwing;
    final AtomicInteger checks = new AtomicInteger();

    @Override
    public Result checkHealth() {
      checks.incrementAndGet();
      if (throwing) throw new IllegalStateException("connection pool closed");
      return reachable ? Result.up() : Result.down("cannot reach db:5432");
    }
  }

  /** A check that never answers until released. */
  static final class HangingCheck extends Service implements HealthCheck {
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger checks = new AtomicInteger();

    @Override
    public Result checkHealth() throws InterruptedException {
      checks.incrementAndGet();
      release.await();
      return Result.up();
    }
  }

  /** App[Database, Cache]. */
  static final class App extends Service {
    final Database database = addDependency(new Database());
    final Fixtures.Cache cache = addDependency(new Fixtures.Cache());
  }

  final App app = new App();
  AdminService admin;
  Http http;

  private void startWith(AdminOptions options) {
    app.start();
    admin = new AdminService(app, options);
    admin.start();
    http = new Http(admin.uri());
  }

  @AfterEach
  void stopAll() {
    if (admin != null) admin.stop();
    app.stop();
  }

  @Test
  void readinessFailsNamingTheServicePathAndTheReasonWhileItsCheckSaysUnhealthy() {
    startWith(Fixtures.options());
    assertThat(http.get("/health/ready").statusCode()).isEqualTo(200);

    app.database.reachable = false;

    await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/health/ready").statusCode() == 503);
    HttpResponse<String> ready = http.get("/health/ready");
    assertThat(Http.parse(ready.body()).path("reasons").get(0).asText()).isEqualTo("App/Database is unhealthy: cannot reach db:5432");
    assertThat(http.get("/health/live").statusCode()).as("an unhealthy dependency does not make the program dead").isEqualTo(200);
    assertThat(admin.isReady()).isFalse();

    app.database.reachable = true;
    await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/health/ready").statusCode() == 200);
  }

  @Test
  void aCheckThatThrowsIsUnhealthyWithTheExceptionAsTheReason() {
    startWith(Fixtures.options());
    app.database.throwing = true;
    await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/health/ready").statusCode() == 503);
    assertThat(http.get("/health/ready").body())
        .contains("App/Database is unhealthy: check failed: java.lang.IllegalStateException: connection pool closed");
  }

  @Test
  void aCheckThatHangsIsReportedAfterTheTimeoutAndIsNotStartedAgainWhileItHangs() {
    HangingCheck hanging = app.addRuntimeDependency(new HangingCheck());
    startWith(Fixtures.options().healthCheckTimeout(Duration.ofMillis(200)));
    try {
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> ready = http.get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("App/HangingCheck is unhealthy: its check did not answer within 200 ms");
      }
      assertThat(hanging.checks).as("one hung check, not one per probe").hasValue(1);
    } finally {
      hanging.release.countDown();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/health/ready").statusCode() == 200);
  }

  @Test
  void manyProbesAtOnceRunAHangingCheckOnce() throws Exception {
    HangingCheck slow = app.addRuntimeDependency(new HangingCheck());
    startWith(Fixtures.options().healthCheckTimeout(Duration.ofMillis(300)));
    List<Future<HttpResponse<String>>> probes = new ArrayList<>();
    try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 20; i++) probes.add(clients.submit(() -> http.get("/health/ready")));
      for (Future<HttpResponse<String>> p : probes) {
        HttpResponse<String> r = p.get(30, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("App/HangingCheck is unhealthy: its check did not answer within 300 ms");
      }
      assertThat(slow.checks).as("20 probes at once while the check hangs: one check").hasValue(1);
    } finally {
      slow.release.countDown();
    }
  }

  @Test
  void aHealthGroupCoversOnlyTheServicesItNames() {
    startWith(Fixtures.options().healthGroup("db", "App/Database").healthGroup("cache", "App/Cache"));
    assertThat(http.get("/health/db").statusCode()).isEqualTo(200);

    app.database.reachable = false;

    await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/health/db").statusCode() == 503);
    assertThat(Http.parse(http.get("/health/db").body()).path("status").asText()).isEqualTo("DOWN");
    assertThat(http.get("/health/db").body()).contains("App/Database is unhealthy: cannot reach db:5432");
    assertThat(http.get("/health/cache").statusCode()).isEqualTo(200);

    app.cache.stop();
    HttpResponse<String> cache = http.get("/health/cache");
    assertThat(cache.statusCode()).isEqualTo(503);
    assertThat(cache.body()).contains("App/Cache is SHUTDOWN");
  }

  @Test
  void aGroupNamingAMissingServiceIsDownAndAnUnknownGroupIsNotFound() {
    startWith(Fixtures.options().healthGroup("queue", "App/Queue"));
    HttpResponse<String> queue = http.get("/health/queue");
    assertThat(queue.statusCode()).isEqualTo(503);
    assertThat(queue.body()).contains("no service at path App/Queue (configured in health group queue)");
    HttpResponse<String> unknown = http.get("/health/nope");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("/health/{group}");
  }

  @Test
  void theStartupProbeTurnsUpAtTheFirstRunningAndStaysUpAcrossStopAndRestart() {
    admin = new AdminService(app, Fixtures.options());
    admin.start();
    http = new Http(admin.uri());
    HttpResponse<String> before = http.get("/health/started");
    assertThat(before.statusCode()).isEqualTo(503);
    assertThat(before.body()).contains("App has not been RUNNING yet (it is INIT)");

    app.start();
    assertThat(http.get("/health/started").statusCode()).isEqualTo(200);

    app.database.reachable = false;
    app.cache.stop();
    assertThat(http.get("/health/ready").statusCode()).isEqualTo(503);
    assertThat(http.get("/health/started").statusCode()).as("started is not readiness").isEqualTo(200);
    app.restart();
    assertThat(http.get("/health/started").statusCode()).isEqualTo(200);
  }

  @Test
  void aPostToAProbeIsRefusedWith405() {
    startWith(Fixtures.options());
    HttpResponse<String> r = http.post("/health/started", Fixtures.TOKEN);
    assertThat(r.statusCode()).isEqualTo(405);
  }

  @Test
  void badGroupDefinitionsAreRefusedNamingTheValue() {
    assertThatThrownBy(() -> new AdminOptions().healthGroup("ready", "App"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"ready\"");
    assertThatThrownBy(() -> new AdminOptions().healthGroup("Data Base", "App"))
        .hasMessageContaining("\"Data Base\"")
        .hasMessageContaining("lower-case letters");
    assertThatThrownBy(() -> new AdminOptions().healthGroup("db")).hasMessageContaining("names no service");
    assertThatThrownBy(() -> new AdminOptions().healthCheckTimeout(Duration.ZERO)).hasMessageContaining("PT0S");
  }
}
