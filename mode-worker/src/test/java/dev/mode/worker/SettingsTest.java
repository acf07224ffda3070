package dev.mode.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Settings}: one naming rule, environment over file over default, errors that name the source. */
class SettingsTest {
  @Test
  void everyKeyHasOneEnvironmentVariableByTheSameRule() {
    assertThat(Settings.environmentVariable("--admin-port")).isEqualTo("MODE_ADMIN_PORT");
    assertThat(Settings.environmentVariable("loglevel")).isEqualTo("MODE_LOGLEVEL");
    assertThat(Settings.environmentVariable("db.pool-size")).isEqualTo("MODE_DB_POOL_SIZE");
  }

  @Test
  void theEnvironmentWinsOverTheFileAndTheFileOverTheDefault(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("app.properties"), "db-url=jdbc:file\npool-size=5\n# a comment\n");
    Settings s = Settings.of(Map.of("MODE_POOL_SIZE", "8"), file);
    assertThat(s.get("db-url", "default")).isEqualTo("jdbc:file");
    assertThat(s.getInt("pool-size", 1)).isEqualTo(8);
    assertThat(s.get("--db-url")).contains("jdbc:file");
    assertThat(s.getDuration("cache-ttl", Duration.ofMinutes(1))).isEqualTo(Duration.ofMinutes(1));
    assertThat(s.getBoolean("cache", true)).isTrue();
    assertThat(s.file()).contains(file);
  }

  @Test
  void typedReadsUseModesDurationSyntaxAndAnyCaseBooleans() {
    Settings s = Settings.of(Map.of("MODE_TTL", "1.5s", "MODE_CACHE", "FALSE"), null);
    assertThat(s.getDuration("ttl", Duration.ZERO)).isEqualTo(Duration.ofMillis(1500));
    assertThat(s.getBoolean("cache", true)).isFalse();
  }

  @Test
  void aBadValueNamesTheKeyItsSourceTheValueAndTheAcceptedForms(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("app.properties"), "ttl=10/m\n");
    Settings s = Settings.of(Map.of("MODE_POOL_SIZE", "ten", "MODE_CACHE", "yes"), file);
    assertThatThrownBy(() -> s.getInt("pool-size", 1))
        .hasMessage("Invalid value for MODE_POOL_SIZE (environment): \"ten\"; accepted: a whole number such as 10");
    assertThatThrownBy(() -> s.getBoolean("cache", true))
        .hasMessage("Invalid value for MODE_CACHE (environment): \"yes\"; accepted: true or false");
    assertThatThrownBy(() -> s.getDuration("ttl", Duration.ZERO))
        .hasMessageStartingWith("Invalid value for ttl (configuration file " + file + "): \"10/m\"; accepted: ")
        .hasMessageContaining("250ms");
  }

  @Test
  void anUnreadableFileIsNamedWithTheReason(@TempDir Path dir) {
    Path missing = dir.resolve("missing.properties");
    assertThatThrownBy(() -> Settings.of(Map.of(), missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cannot read the configuration file " + missing + " (--config): no such file");
  }

  @Test
  void workerSettingsFailsClearlyWhenNoWorkerRuns() {
    assertThatThrownBy(Worker::settings).isInstanceOf(IllegalStateException.class).hasMessageContaining("No Worker");
  }
}
