package dev.mode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mode.Fixtures.NoOpService;
import dev.mode.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** SPEC §5 cron, on the manual clock. */
class CronTest {

  static class EveryFive extends Service {
    final List<Instant> fired = new CopyOnWriteArrayList<>();

    @Crontab(value = "*/5 * * * *", zone = "UTC")
    void report() {
      fired.add(clock().instant());
    }
  }

  @Test
  void fireTimesFollowTheExpression() throws Exception {
    ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:02:30Z"));
    EveryFive s = new EveryFive();
    s.setClock(clock);
    s.start();
    assertThat(s.timers().get(0).nextRun()).contains(Instant.parse("2026-03-01T10:05:00Z"));
    for (int i = 0; i < 3; i++) {
      clock.advance(i == 0 ? Duration.ofSeconds(150) : Duration.ofMinutes(5)); // land on fire times
      int n = i + 1;
      await().untilAsserted(() -> assertThat(s.fired).hasSize(n));
      assertThat(clock.awaitScheduled(1, Duration.ofSeconds(10))).isTrue();
    }
    assertThat(s.fired)
        .containsExactly(
            Instant.parse("2026-03-01T10:05:00Z"),
            Instant.parse("2026-03-01T10:10:00Z"),
            Instant.parse("2026-03-01T10:15:00Z"));
    assertThat(s.timers().get(0).schedule()).isEqualTo("*/5 * * * * (UTC)");
    s.stop();
  }

  @Test
  void theZoneDecidesTheFireTimeAndADstGapIsSkippedAsCronDoes() throws Exception {
    // Europe/Oslo springs forward 2026-03-29 02:00 -> 03:00: a 02:30 job does not fire that day
    ManualClock clock = new ManualClock(Instant.parse("2026-03-28T00:00:00Z"));
    NoOpService s = new NoOpService();
    s.setClock(clock);
    List<Instant> fired = new CopyOnWriteArrayList<>();
    s.addCron("nightly", "30 2 * * *", ZoneId.of("Europe/Oslo"), () -> fired.add(clock.instant()));
    s.start();
    assertThat(s.timers().get(0).nextRun()).contains(Instant.parse("2026-03-28T01:30:00Z"));
    clock.advance(Duration.ofMinutes(90));
    await().untilAsserted(() -> assertThat(fired).containsExactly(Instant.parse("2026-03-28T01:30:00Z")));
    await().untilAsserted(() -> assertThat(s.timers().get(0).nextRun()).isPresent());
    assertThat(s.timers().get(0).nextRun())
        .as("no 02:30 on 29 March in Oslo")
        .contains(Instant.parse("2026-03-30T00:30:00Z"));
    s.stop();
  }

  static class BadCron extends Service {
    @Crontab("61 * * * *")
    void never() {}
  }

  static class BadZone extends Service {
    @Crontab(value = "0 3 * * *", zone = "Mars/Olympus")
    void never() {}
  }

  @Test
  void anInvalidExpressionOrZoneMakesTheConstructorThrowNamingIt() {
    assertThatThrownBy(BadCron::new)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("BadCron.never()")
        .hasMessageContaining("\"61 * * * *\"")
        .hasMessageContaining("minute hour day-of-month month day-of-week");
    assertThatThrownBy(BadZone::new)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("BadZone.never()")
        .hasMessageContaining("\"Mars/Olympus\"")
        .hasMessageContaining("Europe/Oslo");
    assertThatThrownBy(() -> new NoOpService().addCron("x", "not cron", null, () -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"not cron\"");
  }
}
