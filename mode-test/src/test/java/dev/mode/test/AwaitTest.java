package dev.mode.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mode.State;
import dev.mode.supervisor.OneForOneSupervisor;
import dev.mode.test.Fixtures.FastTicker;
import dev.mode.test.Fixtures.Ticker;
import dev.mode.test.Fixtures.Waiter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The kit's waits: woken by listener events, with a timeout that says what the service was doing. */
@ModeTest(systemClock = true)
class AwaitTest {
  @Test
  void awaitRestartsReturnsOnceTheServiceRunsAgainNotWhenTheCountRises(ModeTestKit kit) throws Exception {
    Ticker ticker = new Ticker();
    OneForOneSupervisor supervisor = new OneForOneSupervisor();
    supervisor.add(ticker);
    kit.start(supervisor);

    ticker.crash(new IllegalStateException("crashed by the test"));
    kit.awaitRestarts(ticker, 1);

    assertThat(ticker.state()).isEqualTo(State.RUNNING);
    assertThat(supervisor.restartsOf(ticker)).isEqualTo(1);
  }

  @Test
  void awaitCrashReturnsTheCrashAndCountsAsLookingAtIt(ModeTestKit kit) throws Exception {
    Waiter waiter = kit.start(new Waiter());
    Thread.ofVirtual().start(() -> waiter.crash(new IllegalStateException("from another thread")));

    Crash crash = kit.awaitCrash(waiter);

    assertThat(crash.path()).isEqualTo("Waiter");
    assertThat(crash.reason()).hasMessage("from another thread");
  }

  @Test
  void awaitNextTimerRunReturnsTheRunWithItsTimings(ModeTestKit kit) throws Exception {
    FastTicker ticker = kit.start(new FastTicker());
    int before = ticker.runs.get();

    TimerRun run = kit.awaitNextTimerRun(ticker, "tick");

    assertThat(run.timer()).isEqualTo("tick");
    assertThat(run.error()).isEmpty();
    assertThat(ticker.runs.get()).isGreaterThan(before);
  }

  @Test
  void awaitNextTimerRunRejectsAnUnknownTimerNamingTheKnownOnes(ModeTestKit kit) {
    FastTicker ticker = kit.start(new FastTicker());
    assertThatThrownBy(() -> kit.awaitNextTimerRun(ticker, "tock"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'tock'")
        .hasMessageContaining("[tick]");
  }

  @Test
  void aTimeoutSaysWhatTheServiceWasDoingWithItsStack(ModeTestKit kit) throws Exception {
    Waiter waiter = kit.start(new Waiter());
    try {
      assertThatThrownBy(() -> kit.awaitState(waiter, State.SHUTDOWN, Duration.ofMillis(100)))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("Timed out after PT0.1S waiting for Waiter to be SHUTDOWN")
          .hasMessageContaining("Waiter is RUNNING (restartCount=0)")
          .hasMessageContaining("task waitForTheLatch")
          .hasMessageContaining("at dev.mode.test.Fixtures$Waiter.waitForTheLatch");
    } finally {
      waiter.latch.countDown();
    }
  }

  @Test
  void awaitStateReturnsAtOnceWhenTheStateIsAlreadyReached(ModeTestKit kit) throws Exception {
    Waiter waiter = kit.start(new Waiter());
    kit.awaitState(waiter, State.RUNNING, Duration.ZERO);
  }
}
