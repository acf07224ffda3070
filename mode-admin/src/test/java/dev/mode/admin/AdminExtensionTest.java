package dev.mode.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mode.Service;
import dev.mode.State;
import dev.mode.worker.Worker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The admin switched on from the Worker's command line, and the drain before stop. */
class AdminExtensionTest {
  static final class App extends Service {}

  private final HttpClient http = HttpClient.newHttpClient();

  private int status(URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void theAdminIsOffUnlessAdminPortIsGiven() throws Exception {
    AdminExtension ext = new AdminExtension();
    App app = new App();
    Worker worker = Worker.builder(app).extension(ext).build();
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> worker.execute("--loglevel=warn"));
    await().until(() -> app.state() == State.RUNNING);
    assertThat(ext.admin()).isNull();
    assertThat(worker.dependencies()).noneMatch(s -> s instanceof AdminService);
    worker.exit(0);
    assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
  }

  @Test
  void adminPortRunsTheAdminAndAStopFailsReadinessFirstThenWaitsTheDrainDelay() throws Exception {
    AdminExtension ext = new AdminExtension();
    App app = new App();
    Worker worker = Worker.builder(app).extension(ext).build();
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () -> worker.execute("--admin-port=0", "--drain-delay=2s", "--admin-token=0123456789abcdef0123", "--loglevel=warn"));
    await().until(() -> ext.admin() != null && ext.admin().isReady());
    AdminService admin = ext.admin();
    assertThat(admin.token()).isEqualTo("0123456789abcdef0123");
    assertThat(admin.address().getAddress().isLoopbackAddress()).as("loopback unless told otherwise").isTrue();
    URI ready = admin.uri().resolve("/health/ready");
    assertThat(status(ready)).isEqualTo(200);

    worker.exit(0);
    // during the drain: not ready, yet every service still runs and the admin still answers
    await().atMost(Duration.ofSeconds(1)).until(() -> status(ready) == 503);
    assertThat(app.state()).isEqualTo(State.RUNNING);
    assertThat(status(admin.uri().resolve("/health/live"))).isEqualTo(200);

    assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
    assertThat(app.state()).isEqualTo(State.SHUTDOWN);
  }
}
