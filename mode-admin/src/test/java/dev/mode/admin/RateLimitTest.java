package dev.mode.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The token bucket behind the /threads limit, as plain arithmetic over a given clock. */
class RateLimitTest {
  static final long SECOND = 1_000_000_000L;

  @Test
  void aBurstOfFivePassesThenOneASecondAtSixtyAMinute() {
    RateLimit limit = RateLimit.perMinute(60);
    long t = 123 * SECOND;
    for (int i = 0; i < 5; i++) assertThat(limit.tryAcquire(t)).as("burst %d", i).isZero();
    assertThat(limit.tryAcquire(t)).as("the sixth waits a second").isEqualTo(SECOND);
    assertThat(limit.tryAcquire(t + SECOND / 2)).as("half a second later, half a second more").isEqualTo(SECOND / 2);
    assertThat(limit.tryAcquire(t + SECOND)).isZero();
    assertThat(limit.tryAcquire(t + 100 * SECOND)).as("refilled, but never above the burst").isZero();
    for (int i = 0; i < 4; i++) assertThat(limit.tryAcquire(t + 100 * SECOND)).isZero();
    assertThat(limit.tryAcquire(t + 100 * SECOND)).isPositive();
  }

  @Test
  void aRateBelowOneIsRefusedNamingIt() {
    assertThatThrownBy(() -> RateLimit.perMinute(0)).hasMessageContaining("0 per minute");
    assertThatThrownBy(() -> new AdminOptions().threadDumpsPerMinute(-3)).hasMessageContaining("-3");
  }
}
