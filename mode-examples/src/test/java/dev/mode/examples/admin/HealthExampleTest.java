package dev.mode.examples.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mode.admin.AdminService;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The health example as docs/admin.md shows it: an unreachable database fails readiness and the db group. */
class HealthExampleTest {
  private final HttpClient client = HttpClient.newHttpClient();

  @Test
  void anUnreachableDatabaseFailsReadinessAndTheDbGroupButNotTheStartupProbe() throws Exception {
    HealthExample.Shop shop = new HealthExample.Shop();
    AdminService admin = HealthExample.addAdmin(shop, 0);
    shop.start();
    try {
      assertThat(get(admin, "/health/ready").statusCode()).isEqualTo(200);
      shop.orders.db.reachable = false;
      await().atMost(Duration.ofSeconds(10)).until(() -> get(admin, "/health/db").statusCode() == 503);
      assertThat(get(admin, "/health/ready").body()).contains("Shop/Orders is unhealthy: cannot reach db:5432");
      assertThat(get(admin, "/health/started").statusCode()).isEqualTo(200);
    } finally {
      shop.stop();
    }
  }

  private HttpResponse<String> get(AdminService admin, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(admin.uri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
