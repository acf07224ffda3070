package dev.mode.examples.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mode.State;
import dev.mode.test.CapturedLogs;
import dev.mode.test.ModeTest;
import dev.mode.test.ModeTestKit;
import dev.mode.time.ManualClock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** docs/testing.md, "A service and its timer". */
@ModeTest
class PriceCacheTest {
  @Test
  void refreshesEveryMinute(ModeTestKit kit, ManualClock clock, CapturedLogs logs) {
    PriceCache cache = kit.start(new PriceCache(() -> Map.of("ACME", 42L)));

    clock.advance(Duration.ofMinutes(3)); // returns once the three runs are done

    assertThat(cache.refreshes()).isEqualTo(3);
    assertThat(cache.price("ACME")).isEqualTo(42L);
    logs.assertLogged(Level.INFO, "[^PriceCache]: Refreshed 1 prices");
  }

  @Test
  void stopsWithTheTest(ModeTestKit kit) {
    PriceCache cache = kit.start(new PriceCache(Map::of));
    assertThat(cache.state()).isEqualTo(State.RUNNING);
    // no stop here: the kit stops it after the test and checks that no thread of it is left
  }
}
