package dev.mode.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** GET /info: versions, build time, JDK, uptime and the service tree's root. */
class InfoEndpointTest extends RunningAdmin {

  @Test
  void infoNamesModesVersionAndBuildTimeTheJdkTheUptimeAndTheRoot() {
    JsonNode info = http.json("/info");

    assertThat(info.path("mode").path("version").asText()).matches("\\d+\\.\\d+\\.\\d+.*");
    assertThat(Instant.parse(info.path("mode").path("buildTime").asText())).isBefore(Instant.now());
    assertThat(info.path("java").path("version").asText()).isEqualTo(Runtime.version().toString());
    assertThat(info.path("java").path("vendor").asText()).isEqualTo(System.getProperty("java.vendor"));
    assertThat(info.path("process").path("uptimeSeconds").asDouble()).isPositive();
    assertThat(info.path("process").path("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
    assertThat(info.path("root").path("path").asText()).isEqualTo("App");
    assertThat(info.path("root").path("state").asText()).isEqualTo("RUNNING");
    assertThat(info.path("root").path("services").asInt()).isEqualTo(3);
    assertThat(info.path("root").path("uptimeSeconds").asDouble()).isPositive();
    assertThat(info.path("app").path("name").asText()).isEqualTo("App");
  }

  @Test
  void theRootsUptimeIsNullWhileItIsNotRunning() {
    app.stop();
    JsonNode info = http.json("/info");
    assertThat(info.path("root").path("state").asText()).isEqualTo("SHUTDOWN");
    assertThat(info.path("root").path("uptimeSeconds").isNull()).isTrue();
  }
}
