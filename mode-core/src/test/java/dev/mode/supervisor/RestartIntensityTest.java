package dev.mode.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mode.State;
import dev.mode.time.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SPEC §6 intensity: at most N restarts within any sliding window; N+1 gives up. */
class RestartIntensityTest {
  final ManualClock clock = new ManualClock();
  final Probe a = new Probe("A");
  final Probe b = new Probe("B");
  OneForOneSupervisor supervisor;

  @AfterEach
  void stop() {
    if (supervisor != null) supervisor.stop();
  }

  private void start(int maxRestarts, Duration over) {
    supervisor = new OneForOneSupervisor(maxRestarts, over);
    supervisor.setClock(clock);
    supervisor.add(a, b);
    supervisor.start();
  }

  private void crashAndAwaitRestart(Probe p) {
    int before = p.restartCount();
    p.crash(new RuntimeException("crash " + (before + 1)));
    await().atMost(Duration.ofSeconds(10)).until(() -> p.restartCount() == before + 1 && p.state() == State.RUNNING);
  }

  @Test
  void exactlyMaxRestartsWithinTheWindowAreAllowedAndOneMoreGivesUp() {
    start(3, Duration.ofSeconds(5));
    crashAndAwaitRestart(b);
    clock.advance(Duration.ofSeconds(1));
    crashAndAwaitRestart(a);
    clock.advance(Duration.ofSeconds(1));
    crashAndAwaitRestart(b);
    clock.advance(Duration.ofMillis(2999)); // the first restart is 4.999 s old: still in the window

    RuntimeException fourth = new RuntimeException("fourth");
    b.crash(fourth);
    assertThat(supervisor.awaitStopped(Duration.ofSeconds(10))).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> supervisor.state() == State.CRASHED);
    assertThat(supervisor.crashReason())
        .isInstanceOf(MaxRestartsExceeded.class)
        .hasCauseReference(fourth)
        .hasMessageContaining("OneForOneSupervisor/B")
        .hasMessageContaining("3 restarts within 5s");
    MaxRestartsExceeded ex = (MaxRestartsExceeded) supervisor.crashReason();
    assertThat(ex.servicePath()).isEqualTo("OneForOneSupervisor/B");
    assertThat(ex.maxRestarts()).isEqualTo(3);
    assertThat(ex.over()).isEqualTo(Duration.ofSeconds(5));
    assertThat(b.restartCount()).as("the fourth crash was not restarted").isEqualTo(2);
    assertThat(a.state()).as("the supervisor stops its services when it gives up").isEqualTo(State.SHUTDOWN);
    assertThat(b.state()).isEqualTo(State.CRASHED);
    assertThat(supervisor.totalRestarts()).isEqualTo(3);
  }

  @Test
  void restartsOlderThanTheWindowNoLongerCount() {
    start(2, Duration.ofSeconds(5));
    crashAndAwaitRestart(a);
    clock.advance(Duration.ofSeconds(3));
    crashAndAwaitRestart(a);
    clock.advance(Duration.ofSeconds(2)); // the first restart is exactly 5 s old: out of the window
    crashAndAwaitRestart(a);
    clock.advance(Duration.ofSeconds(3)); // the second is 5 s old: out; the third is 3 s old
    crashAndAwaitRestart(b);
    assertThat(supervisor.state()).isEqualTo(State.RUNNING);
    assertThat(supervisor.totalRestarts()).isEqualTo(4);

    b.crash(new RuntimeException("one too many"));
    await().atMost(Duration.ofSeconds(10)).until(() -> supervisor.state() == State.CRASHED);
    assertThat(supervisor.crashReason()).isInstanceOf(MaxRestartsExceeded.class);
  }

  @Test
  void zeroMaxRestartsGivesUpAtTheFirstCrash() {
    start(0, Duration.ofSeconds(1));
    a.crash(new RuntimeException("first"));
    await().atMost(Duration.ofSeconds(10)).until(() -> supervisor.state() == State.CRASHED);
    assertThat(supervisor.crashReason()).isInstanceOf(MaxRestartsExceeded.class);
    assertThat(a.restartCount()).isZero();
    assertThat(b.state()).isEqualTo(State.SHUTDOWN);
  }

  @Test
  void aRestartWhoseStartFailsCountsAsAnotherCrash() {
    start(3, Duration.ofMinutes(1));
    b.failingStarts.set(2);
    b.crash(new RuntimeException("boom"));
    await().atMost(Duration.ofSeconds(10)).until(() -> b.restartCount() == 3 && b.state() == State.RUNNING);
    assertThat(supervisor.restartsOf(b)).isEqualTo(3);
    assertThat(supervisor.totalRestarts()).isEqualTo(3);
    assertThat(supervisor.state()).isEqualTo(State.RUNNING);
  }

  @Test
  void aServiceThatNeverStartsAgainMakesTheSupervisorGiveUp() {
    start(3, Duration.ofMinutes(1));
    b.failingStarts.set(Integer.MAX_VALUE);
    b.crash(new RuntimeException("boom"));
    await().atMost(Duration.ofSeconds(10)).until(() -> supervisor.state() == State.CRASHED);
    assertThat(supervisor.crashReason())
        .isInstanceOf(MaxRestartsExceeded.class)
        .hasRootCauseMessage("B cannot start");
    assertThat(supervisor.restartsOf(b)).isEqualTo(3);
  }

  @Test
  void badLimitsAreRejectedWithAClearMessage() {
    assertThatThrownBy(() -> new OneForOneSupervisor(-1, Duration.ofSeconds(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxRestarts must be >= 0, got -1");
    assertThatThrownBy(() -> new OneForAllSupervisor(3, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be positive, got");
    assertThatThrownBy(() -> new RestForOneSupervisor(3, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be positive");
    assertThatThrownBy(() -> new RestForOneSupervisor(3, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be null");
  }

  @Test
  void theDefaultLimitIsThreeRestartsWithinFiveSeconds() {
    OneForOneSupervisor s = new OneForOneSupervisor();
    assertThat(s.maxRestarts()).isEqualTo(3);
    assertThat(s.over()).isEqualTo(Duration.ofSeconds(5));
  }
}
