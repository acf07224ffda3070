package dev.mode.examples.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mode.State;
import dev.mode.test.ModeTestKit;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/testing.md, "Outside JUnit": a kit made by hand, closed by try-with-resources. */
class KitWithoutJUnitTest {
  @Test
  void aKitMadeByHandStopsWhatItStartedWhenClosed() throws Exception {
    PriceCache.PriceSource source = () -> Map.of("ACME", 42L);
    PriceCache cache;
    try (ModeTestKit kit = ModeTestKit.manualClock()) {
      cache = kit.start(new PriceCache(source));
      kit.clock().advance(Duration.ofMinutes(1));
      assertThat(cache.refreshes()).isEqualTo(1);
    }
    assertThat(cache.state()).isEqualTo(State.SHUTDOWN);
  }
}
