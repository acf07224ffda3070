package dev.mode.examples.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mode.test.ModeTest;
import dev.mode.test.ModeTestKit;
import dev.mode.time.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** docs/testing.md, "Cron". */
@ModeTest
class DailyReportTest {
  @Test
  void sendsAReportAtSixOnWeekdaysOnly(ModeTestKit kit, ManualClock clock) {
    // a kit's manual clock starts at ManualClock.DEFAULT_START: Thursday 2026-01-01T00:00Z
    DailyReport report = kit.start(new DailyReport());

    clock.advance(Duration.ofDays(5)); // Thursday, Friday, (Saturday, Sunday), Monday

    assertThat(report.sent())
        .containsExactly(
            "report for 2026-01-01T06:00:00Z", "report for 2026-01-02T06:00:00Z", "report for 2026-01-05T06:00:00Z");
  }
}
