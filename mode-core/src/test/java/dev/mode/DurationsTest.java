package dev.mode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC §1 duration strings. */
class DurationsTest {

  @ParameterizedTest
  @CsvSource({
    "250ms, PT0.25S",
    "1.5s, PT1.5S",
    "2m, PT2M",
    "1h, PT1H",
    "1d, PT24H",
    "PT1.5S, PT1.5S",
    "P1D, PT24H",
    "30, PT30S",
    "0.5, PT0.5S",
    "' 10s ', PT10S"
  })
  void acceptedFormsParse(String text, String iso) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
  }

  @org.junit.jupiter.api.Test
  void toNanosSaturatesInsteadOfOverflowing() {
    assertThat(Durations.toNanosSaturated(Duration.ofMillis(1500))).isEqualTo(1_500_000_000L);
    assertThat(Durations.toNanosSaturated(Duration.ofDays(365L * 1000))).isEqualTo(Long.MAX_VALUE);
    assertThat(Durations.toNanosSaturated(Duration.ofDays(-365L * 1000))).isEqualTo(Long.MIN_VALUE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"10/m", "", "abc", "5 minutes", "-1s", "1w", "PT", "1.5.2s", "ms"})
  void anythingElseIsRejectedNamingTheValueAndTheAcceptedForms(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"" + text + "\"")
        .hasMessageContaining("250ms, 1.5s, 2m, 1h, 1d")
        .hasMessageContaining("PT1.5S");
  }
}
