package dev.mode.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SPEC §6 intensity and back-off as plain arithmetic: no threads, no clock, {@code now} given as a
 * number (Pekko's {@code calculateDelay}).
 */
class RestartIntensityArithmeticTest {
  static final long S = 1_000_000_000L;

  @Test
  void maxRestartsFitInTheWindowAndOneMoreIsRefusedWithoutBeingCounted() {
    RestartIntensity limit = new RestartIntensity(3, 5 * S);
    assertThat(limit.tryRestart(0)).isTrue();
    assertThat(limit.tryRestart(1 * S)).isTrue();
    assertThat(limit.tryRestart(2 * S)).isTrue();
    assertThat(limit.tryRestart(5 * S - 1)).as("the first is 4.999 s old: still in the window").isFalse();
    assertThat(limit.restartsInWindow(5 * S - 1)).as("a refused restart is not counted").isEqualTo(3);
    assertThat(limit.tryRestart(5 * S)).as("the first is exactly 5 s old: out of the window").isTrue();
  }

  @Test
  void zeroMaxRestartsRefusesTheFirst() {
    assertThat(new RestartIntensity(0, S).tryRestart(42)).isFalse();
  }

  @Test
  void theWindowSlidesRestartByRestart() {
    RestartIntensity limit = new RestartIntensity(2, 5 * S);
    assertThat(limit.tryRestart(0)).isTrue();
    assertThat(limit.tryRestart(3 * S)).isTrue();
    assertThat(limit.tryRestart(5 * S)).as("the one at 0 left the window").isTrue();
    assertThat(limit.tryRestart(7 * S)).as("3 s and 5 s are both inside (2 s ago is 5 s)").isFalse();
    assertThat(limit.tryRestart(8 * S)).as("the one at 3 s left").isTrue();
  }

  @Test
  void aNanoTimeThatWrapsAroundStillMeasuresTheWindow() {
    RestartIntensity limit = new RestartIntensity(1, 5 * S);
    long nearEnd = Long.MAX_VALUE - 2 * S;
    assertThat(limit.tryRestart(nearEnd)).isTrue();
    assertThat(limit.tryRestart(nearEnd + 4 * S)).as("wrapped, 4 s later").isFalse();
    assertThat(limit.tryRestart(nearEnd + 5 * S)).as("wrapped, 5 s later").isTrue();
  }

  @Test
  void clearGivesAFullAllowanceAgain() {
    RestartIntensity limit = new RestartIntensity(1, 5 * S);
    assertThat(limit.tryRestart(0)).isTrue();
    limit.clear();
    assertThat(limit.tryRestart(1)).isTrue();
  }

  @Test
  void delaysDoubleFromMinAndStopAtMaxAsInPekkosExample() {
    List<Long> seconds = new ArrayList<>();
    for (int k = 0; k < 6; k++) seconds.add(RestartIntensity.delayNanos(k, 3 * S, 30 * S, 0, 0) / S);
    assertThat(seconds).containsExactly(3L, 6L, 12L, 24L, 30L, 30L);
  }

  @Test
  void jitterStretchesByTheDrawAndIsCappedAtMax() {
    assertThat(RestartIntensity.delayNanos(0, 100, 1000, 0.5, 0.5)).isEqualTo(125);
    assertThat(RestartIntensity.delayNanos(3, 100, 1000, 0.5, 0.99)).as("800 * 1.495 capped").isEqualTo(1000);
    assertThat(RestartIntensity.delayNanos(0, 100, 1000, 0, 0.99)).as("no jitter: the draw is ignored").isEqualTo(100);
  }

  @Test
  void longStreaksNeverOverflow() {
    assertThat(RestartIntensity.delayNanos(Integer.MAX_VALUE, 1, Long.MAX_VALUE, 0, 0)).isEqualTo(Long.MAX_VALUE);
    assertThat(RestartIntensity.delayNanos(1000, S, Long.MAX_VALUE, 1.0, 0.9)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void aSlotsBackoffStartsOverAfterAStableRun() {
    Backoff backoff = Backoff.exponential(Duration.ofMillis(100), Duration.ofMillis(400)).resetAfter(Duration.ofSeconds(10));
    RestartIntensity.SlotBackoff slot = new RestartIntensity.SlotBackoff();
    long ms = 1_000_000L;
    assertThat(slot.nextDelay(backoff, backoff.resetAfterNanos(), 0)).isEqualTo(100 * ms);
    slot.restarted(100 * ms);
    assertThat(slot.nextDelay(backoff, backoff.resetAfterNanos(), 200 * ms)).isEqualTo(200 * ms);
    slot.restarted(400 * ms);
    assertThat(slot.nextDelay(backoff, backoff.resetAfterNanos(), 400 * ms + 10 * S - 1))
        .as("1 ns short of a stable run: the streak goes on")
        .isEqualTo(400 * ms);
    slot.restarted(800 * ms + 10 * S);
    assertThat(slot.nextDelay(backoff, backoff.resetAfterNanos(), 800 * ms + 20 * S))
        .as("10 s after the last restart: back to min")
        .isEqualTo(100 * ms);
    assertThat(slot.consecutive()).isEqualTo(1);
  }

  @Test
  void aCrashBeforeAnyRestartIsNeverAReset() {
    Backoff backoff = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1)).resetAfter(Duration.ofMillis(1));
    RestartIntensity.SlotBackoff slot = new RestartIntensity.SlotBackoff();
    assertThat(slot.nextDelay(backoff, backoff.resetAfterNanos(), 0)).isEqualTo(100_000_000L);
    assertThat(slot.nextDelay(backoff, backoff.resetAfterNanos(), 50 * S))
        .as("the first restart has not happened yet: the streak goes on")
        .isEqualTo(200_000_000L);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 7, 42, 2026, 31337})
  void withAnyJitterEveryDelayStaysBetweenMinAndMaxAndSeedsReproduce(long seed) {
    Random shape = new Random(seed);
    long min = 1 + shape.nextInt(1_000_000);
    long max = min + shape.nextInt(50_000_000);
    double jitter = shape.nextDouble() * 2;
    Backoff a = Backoff.exponential(Duration.ofNanos(min), Duration.ofNanos(max)).withJitter(jitter, new Random(seed));
    Backoff b = Backoff.exponential(Duration.ofNanos(min), Duration.ofNanos(max)).withJitter(jitter, new Random(seed));
    long withoutJitterBefore = 0;
    for (int k = 0; k < 40; k++) {
      long d = a.delayNanos(k);
      assertThat(d).as("seed %d, k %d: within [min, max]", seed, k).isBetween(min, max);
      assertThat(b.delayNanos(k)).as("seed %d, k %d: the same seed gives the same delay", seed, k).isEqualTo(d);
      long withoutJitter = RestartIntensity.delayNanos(k, min, max, 0, 0);
      assertThat(withoutJitter).as("seed %d, k %d: never shorter than the one before", seed, k).isGreaterThanOrEqualTo(withoutJitterBefore);
      assertThat(d).as("seed %d, k %d: jitter only stretches", seed, k).isGreaterThanOrEqualTo(withoutJitter);
      withoutJitterBefore = withoutJitter;
    }
  }
}
