package dev.mode.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/** ModeClock's default arithmetic, now without dev.mode.Durations (the package is a leaf). */
class ModeClockTest {
  /** A clock frozen at a given nanoTime, to put "now" near the edges of long. */
  record Frozen(long nanoTime) implements ModeClock {
    @Override
    public Instant instant() {
      return Instant.EPOCH;
    }

    @Override
    public void parkUntil(long deadlineNanos) {}

    @Override
    public Scheduled schedule(long deadlineNanos, Runnable action) {
      return () -> false;
    }
  }

  @Test
  void deadlineAfterAddsTheDurationToNow() {
    assertThat(new Frozen(1_000).deadlineAfter(Duration.ofNanos(500))).isEqualTo(1_500);
    assertThat(new Frozen(1_000).deadlineAfter(Duration.ofSeconds(-1))).isEqualTo(1_000 - 1_000_000_000L);
  }

  @Test
  void aDurationTooLongForNanosecondsSaturatesInsteadOfThrowing() {
    assertThat(new Frozen(0).deadlineAfter(ChronoUnit.FOREVER.getDuration())).isEqualTo(Long.MAX_VALUE);
    assertThat(new Frozen(0).deadlineAfter(Duration.ofDays(300_000))).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void aSumThatOverflowsSaturatesAtMaxValue() {
    assertThat(new Frozen(Long.MAX_VALUE - 10).deadlineAfter(Duration.ofNanos(11))).isEqualTo(Long.MAX_VALUE);
    assertThat(new Frozen(Long.MAX_VALUE - 10).deadlineAfter(Duration.ofNanos(10))).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void theManualClockUsesTheSameArithmetic() {
    ManualClock clock = new ManualClock();
    assertThat(clock.deadlineAfter(ChronoUnit.FOREVER.getDuration())).isEqualTo(Long.MAX_VALUE);
    assertThat(clock.deadlineAfter(Duration.ofSeconds(2)) - clock.nanoTime()).isEqualTo(2_000_000_000L);
  }
}
