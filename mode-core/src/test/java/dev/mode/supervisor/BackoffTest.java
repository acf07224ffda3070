package dev.mode.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mode.State;
import dev.mode.time.ManualClock;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Akka-style exponential back-off between restarts, on the service clock. */
class BackoffTest {
  final ManualClock clock = new ManualClock();
  final Probe a = new Probe("A");
  final Probe b = new Probe("B");
  OneForOneSupervisor supervisor;

  @AfterEach
  void stop() {
    if (supervisor != null) supervisor.stop();
  }

  private void start(Backoff backoff) {
    supervisor = new OneForOneSupervisor(100, Duration.ofHours(1));
    supervisor.setClock(clock);
    supervisor.setBackoff(backoff);
    supervisor.add(a, b);
    supervisor.start();
  }

  // crashes p, then checks that it is restarted after exactly `delay` on the manual clock
  private void crashAndExpectRestartAfter(Probe p, Duration delay) {
    int before = p.restartCount();
    p.crash(new RuntimeException("crash"));
    clock.advance(Duration.ZERO); // settles: the supervisor has stopped the crashed service, the restart is due later
    assertThat(p.state()).isEqualTo(State.CRASHED);
    assertThat(p.trace).contains(p.name + ".onShutdown");
    p.trace.clear();
    clock.advance(delay.minusMillis(1));
    assertThat(p.restartCount()).as("not restarted 1 ms before the delay of %s", delay).isEqualTo(before);
    clock.advance(Duration.ofMillis(1));
    assertThat(p.restartCount()).isEqualTo(before + 1);
    assertThat(p.state()).isEqualTo(State.RUNNING);
  }

  @Test
  void delaysDoubleFromMinUpToMaxAndResetAfterAStablePeriod() throws Exception {
    start(Backoff.exponential(Duration.ofMillis(100), Duration.ofMillis(400)).resetAfter(Duration.ofSeconds(10)));
    crashAndExpectRestartAfter(a, Duration.ofMillis(100));
    crashAndExpectRestartAfter(a, Duration.ofMillis(200));
    crashAndExpectRestartAfter(a, Duration.ofMillis(400));
    crashAndExpectRestartAfter(a, Duration.ofMillis(400));
    clock.advance(Duration.ofSeconds(10)); // A has run for 10 s since its last restart
    crashAndExpectRestartAfter(a, Duration.ofMillis(100));
    assertThat(supervisor.restartsOf(a)).isEqualTo(5);
  }

  @Test
  void eachServiceHasItsOwnBackoffAndOthersAreRestartedMeanwhile() throws Exception {
    start(Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(10)));
    crashAndExpectRestartAfter(a, Duration.ofMillis(100));
    crashAndExpectRestartAfter(a, Duration.ofMillis(200));
    crashAndExpectRestartAfter(b, Duration.ofMillis(100));
  }

  @Test
  void jitterIsDrawnFromTheGivenRandomAndCappedAtMax() {
    Backoff backoff =
        Backoff.exponential(Duration.ofMillis(100), Duration.ofMillis(350)).withJitter(0.5, new Random(7));
    Random same = new Random(7);
    long first = (long) (100_000_000L * (1 + 0.5 * same.nextDouble()));
    long second = (long) (200_000_000L * (1 + 0.5 * same.nextDouble()));
    assertThat(backoff.delayNanos(0)).isEqualTo(first);
    assertThat(backoff.delayNanos(1)).isEqualTo(Math.min(second, 350_000_000L));
    assertThat(backoff.delayNanos(5)).isEqualTo(350_000_000L);
    assertThat(backoff.delayNanos(62)).as("no overflow for long crash streaks").isEqualTo(350_000_000L);
  }

  @Test
  void badBackoffsAreRejected() {
    assertThatThrownBy(() -> Backoff.exponential(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("min must be positive");
    assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be less than min");
    assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(2)).withJitter(-1, new Random()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jitter");
  }

  @Test
  void aOneForAllGroupIsStoppedAtOnceAndRestartedTogetherAfterTheDelay() throws Exception {
    OneForAllSupervisor group = new OneForAllSupervisor(10, Duration.ofHours(1));
    group.setClock(clock);
    group.setBackoff(Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(8)));
    group.add(a, b);
    group.start();
    try {
      b.crash(new RuntimeException("crash"));
      clock.advance(Duration.ZERO); // settles: the group is stopped, its restart due in 1 s
      assertThat(a.state()).isEqualTo(State.SHUTDOWN);
      assertThat(b.trace).contains("B.onShutdown");
      clock.advance(Duration.ofMillis(999));
      assertThat(a.restartCount()).isZero();
      clock.advance(Duration.ofMillis(1));
      assertThat(a.state()).isEqualTo(State.RUNNING);
      assertThat(b.state()).isEqualTo(State.RUNNING);
      assertThat(b.restartCount()).isEqualTo(1);
      assertThat(a.restartCount()).isEqualTo(1);
    } finally {
      group.stop();
    }
  }
}
