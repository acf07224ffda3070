package dev.mode.examples.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mode.admin.AdminService;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The admin example as docs/admin.md shows it: ready once the shop runs, and a restart by token. */
class AdminExampleTest {
  @Test
  void theShopIsReadyAndItsInventoryRestartsWithTheToken() throws Exception {
    AdminExample.Shop shop = new AdminExample.Shop();
    AdminService admin = AdminExample.addAdmin(shop, 0);
    shop.start();
    try {
      HttpClient client = HttpClient.newHttpClient();
      HttpResponse<String> ready = client.send(
          HttpRequest.newBuilder(admin.uri().resolve("/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(200);
      HttpResponse<String> restart = client.send(
          HttpRequest.newBuilder(admin.uri().resolve("/services/Shop/Inventory/restart"))
              .header("Authorization", "Bearer " + admin.token())
              .POST(HttpRequest.BodyPublishers.noBody())
              .build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(restart.statusCode()).isEqualTo(200);
      assertThat(shop.inventory.restartCount()).isEqualTo(1);
      admin.beginDrain(); // what drain() does first; drain() then waits the 5 s delay
      assertThat(admin.isReady()).isFalse();
    } finally {
      shop.stop();
    }
  }
}
