package dev.mode.examples.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mode.State;
import dev.mode.supervisor.Backoff;
import dev.mode.supervisor.OneForOneSupervisor;
import dev.mode.test.Crash;
import dev.mode.test.ModeTest;
import dev.mode.test.ModeTestKit;
import dev.mode.time.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * docs/testing.md, "Supervisors": a supervised, timed service, crash, back-off, restart; no sleep and
 * no polling, so the same every time (the repetitions check it; the release check runs 1,000).
 */
@ModeTest
class SupervisedPriceCacheTest {
  @RepeatedTest(100)
  void aFailedRefreshIsRestartedAfterTheBackoff(ModeTestKit kit, ManualClock clock) {
    AtomicInteger fetches = new AtomicInteger();
    PriceCache cache =
        new PriceCache(
            () -> {
              if (fetches.incrementAndGet() == 2) throw new IOException("feed down");
              return Map.of("ACME", 42L);
            });
    OneForOneSupervisor supervisor = new OneForOneSupervisor();
    supervisor.setBackoff(Backoff.exponential(Duration.ofSeconds(1), Duration.ofMinutes(1)));
    supervisor.add(cache);
    kit.start(supervisor);

    clock.advance(Duration.ofMinutes(2)); // refresh 1 works, refresh 2 crashes it: stopped, back-off 1 s
    assertThat(cache.state()).isEqualTo(State.CRASHED);
    clock.advance(Duration.ofSeconds(1)); // the back-off ends: restarted
    assertThat(cache.state()).isEqualTo(State.RUNNING);
    assertThat(cache.restartCount()).isEqualTo(1);
    clock.advance(Duration.ofMinutes(1)); // the restarted timer refreshes again
    assertThat(cache.refreshes()).isEqualTo(2);
    assertThat(kit.crashes())
        .singleElement()
        .satisfies(c -> assertThat(c.path()).isEqualTo("OneForOneSupervisor/PriceCache"))
        .extracting(Crash::reason)
        .hasToString("java.io.IOException: feed down");
  }

  @Test
  void aCrashFromAnotherThreadIsAwaitedWithoutPolling(ModeTestKit kit) throws Exception {
    PriceCache cache = new PriceCache(Map::of);
    OneForOneSupervisor supervisor = kit.start(new OneForOneSupervisor());
    supervisor.add(cache);

    cache.crash(new IllegalStateException("poisoned"));
    kit.awaitRestarts(cache, 1); // woken by the cache's state changes; fails after 10 s saying what it was doing

    assertThat(cache.state()).isEqualTo(State.RUNNING);
  }
}
