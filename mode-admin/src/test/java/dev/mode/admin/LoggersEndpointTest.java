package dev.mode.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mode.worker.LogLevels;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** GET and POST /loggers: log levels read and changed over HTTP, the change token-guarded. */
class LoggersEndpointTest extends RunningAdmin {
  private static final String NAME = "dev.mode.admin.loggerstest";

  @AfterEach
  void putLevelBack() {
    LogLevels.set(NAME, null);
  }

  @Test
  void postWithTheTokenChangesTheLevelAtOnce() {
    LogLevels.set(NAME, "info");
    assertThat(LoggerFactory.getLogger(NAME).isDebugEnabled()).isFalse();

    HttpResponse<String> r = http.post("/loggers/" + NAME + "?level=debug", Fixtures.TOKEN);

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = Http.parse(r.body());
    assertThat(body.path("name").asText()).isEqualTo(NAME);
    assertThat(body.path("configuredLevel").asText()).isEqualTo("DEBUG");
    assertThat(LoggerFactory.getLogger(NAME).isDebugEnabled()).isTrue();
    assertThat(http.json("/loggers/" + NAME).path("effectiveLevel").asText()).isEqualTo("DEBUG");
  }

  @Test
  void postWithoutOrWithAWrongTokenChangesNothing() {
    LogLevels.set(NAME, "warn");
    assertThat(http.post("/loggers/" + NAME + "?level=trace", null).statusCode()).isEqualTo(401);
    assertThat(http.post("/loggers/" + NAME + "?level=trace", "wrong-token-0123456789").statusCode()).isEqualTo(401);
    assertThat(LogLevels.get(NAME).configuredLevel()).isEqualTo("WARN");
  }

  @Test
  void getListsTheRootAndTheLoggersWithALevelOfTheirOwn() {
    LogLevels.set(NAME, "error");
    JsonNode all = http.json("/loggers");
    assertThat(all.path("levels").toString()).isEqualTo("[\"TRACE\",\"DEBUG\",\"INFO\",\"WARN\",\"ERROR\",\"OFF\"]");
    assertThat(all.path("loggers").path("ROOT").path("effectiveLevel").asText()).isNotEmpty();
    assertThat(all.path("loggers").path(NAME).path("configuredLevel").asText()).isEqualTo("ERROR");
  }

  @Test
  void anUnusedLoggerNameIsAnsweredWithItsInheritedLevel() {
    LogLevels.set(NAME, "trace");
    JsonNode one = http.json("/loggers/" + NAME + ".not.used");
    assertThat(one.path("configuredLevel").isNull()).isTrue();
    assertThat(one.path("effectiveLevel").asText()).isEqualTo("TRACE");
  }

  @Test
  void inheritRemovesTheLoggersOwnLevel() {
    LogLevels.set(NAME, "trace");
    HttpResponse<String> r = http.post("/loggers/" + NAME + "?level=inherit", Fixtures.TOKEN);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Http.parse(r.body()).path("configuredLevel").isNull()).isTrue();
  }

  @Test
  void badLevelsNamesAndMissingParametersGet400NamingTheValue() {
    HttpResponse<String> badLevel = http.post("/loggers/" + NAME + "?level=loud", Fixtures.TOKEN);
    assertThat(badLevel.statusCode()).isEqualTo(400);
    assertThat(badLevel.body()).contains("Invalid log level \\\"loud\\\"").contains("TRACE, DEBUG, INFO, WARN, ERROR, OFF");

    HttpResponse<String> noLevel = http.post("/loggers/" + NAME, Fixtures.TOKEN);
    assertThat(noLevel.statusCode()).isEqualTo(400);
    assertThat(noLevel.body()).contains("No level given").contains("?level=LEVEL");

    HttpResponse<String> badName = http.get("/loggers/a..b");
    assertThat(badName.statusCode()).isEqualTo(400);
    assertThat(badName.body()).contains("Invalid logger name \\\"a..b\\\"");
    assertThat(LogLevels.get(NAME).configuredLevel()).isNull();
  }

  @Test
  void otherMethodsGet405WithTheAllowedOnes() {
    HttpResponse<String> r = http.method("PUT", "/loggers/" + NAME, new byte[0]);
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Allow")).contains("GET, HEAD, POST");
    assertThat(http.post("/loggers", Fixtures.TOKEN).statusCode()).isEqualTo(405);
  }
}
