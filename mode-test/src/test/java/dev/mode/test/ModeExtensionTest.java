package dev.mode.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.mode.Service;
import dev.mode.ServiceException;
import dev.mode.State;
import dev.mode.supervisor.OneForOneSupervisor;
import dev.mode.test.Fixtures.Recorder;
import dev.mode.test.Fixtures.Stubborn;
import dev.mode.test.Fixtures.Ticker;
import dev.mode.time.ManualClock;
import dev.mode.time.ModeClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * What {@link ModeExtension} does around a test: the clock it injects, the services it stops, what
 * it reports. Sample test classes below are run through JUnit itself, so a failure the extension
 * reports is seen as a user would see it.
 */
@ModeTest
class ModeExtensionTest {
  static final List<String> STOPS = Fixtures.newLog();

  @AfterAll
  static void releaseStubbornThreads() {
    Stubborn.RELEASE.countDown();
  }

  private static Events run(Class<?> sample) {
    return EngineTestKit.engine("junit-jupiter").selectors(selectClass(sample)).execute().testEvents();
  }

  private static String failureOf(Events events) {
    List<Event> failed = events.failed().list();
    assertThat(failed).as("failed tests").hasSize(1);
    return failed.get(0).getPayload(TestExecutionResult.class)
        .flatMap(TestExecutionResult::getThrowable)
        .map(t -> t.getMessage() + suppressed(t))
        .orElse("");
  }

  private static String suppressed(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable s : t.getSuppressed()) sb.append('\n').append(s.getMessage());
    return sb.toString();
  }

  @Test
  void injectsAManualClockAndSetsItOnTheServicesTheTestStarts(ModeTestKit kit, ManualClock clock) {
    Ticker ticker = kit.start(new Ticker());
    assertThat(ticker.clock()).isSameAs(clock).isSameAs(kit.clock());
    clock.advance(Duration.ofSeconds(3));
    assertThat(ticker.runs.get()).isEqualTo(3);
  }

  @Test
  @ModeTest(systemClock = true)
  void leavesTheSystemClockWhenAsked(ModeTestKit kit) {
    Ticker ticker = kit.start(new Ticker());
    assertThat(ticker.clock()).isSameAs(ModeClock.system());
    assertThat(kit.usesSystemClock()).isTrue();
  }

  static class FailsAfterStartingTwo {
    @Test
    @ModeTest
    void test(ModeTestKit kit) {
      kit.start(new Recorder("A", STOPS));
      kit.start(new Recorder("B", STOPS));
      throw new AssertionError("the test's own failure");
    }
  }

  @Test
  void stopsEveryServiceTheTestStartedInReverseEvenWhenTheTestFails() {
    STOPS.clear();
    String failure = failureOf(run(FailsAfterStartingTwo.class));
    assertThat(failure).contains("the test's own failure");
    assertThat(STOPS).containsExactly("B", "A");
  }

  static class LeavesAThread {
    @Test
    @ModeTest
    void test(ModeTestKit kit) throws InterruptedException {
      kit.start(new Stubborn()).holding.await();
    }
  }

  @Test
  void failsATestWhoseServiceLeftAThreadAliveNamingIt() {
    String failure = failureOf(run(LeavesAThread.class));
    assertThat(failure).contains("still run their code after the services stopped").contains("Stubborn:hold").contains("Stubborn.hold");
  }

  static class IgnoresACrash {
    @Test
    @ModeTest
    void test(ModeTestKit kit) {
      kit.start(new Ticker()).crash(new IllegalStateException("nobody saw this"));
    }
  }

  @Test
  void failsATestThatIgnoredACrashNamingTheService() {
    String failure = failureOf(run(IgnoresACrash.class));
    assertThat(failure).contains("never looked at").contains("Ticker crashed: java.lang.IllegalStateException: nobody saw this");
  }

  static class LooksAtTheCrashOrOptsOut {
    @Test
    @ModeTest
    void looks(ModeTestKit kit) {
      kit.start(new Ticker()).crash(new IllegalStateException("seen"));
      assertThat(kit.crashes()).extracting(Crash::path).containsExactly("Ticker");
    }

    @Test
    @ModeTest(failOnUnobservedCrash = false)
    void optsOut(ModeTestKit kit) {
      kit.start(new Ticker()).crash(new IllegalStateException("allowed"));
    }
  }

  @Test
  void aCrashTheTestLookedAtOrAllowedPasses() {
    Events events = run(LooksAtTheCrashOrOptsOut.class);
    assertThat(events.succeeded().count()).isEqualTo(2);
    assertThat(events.failed().count()).isZero();
  }

  static class AsksForAManualClockOnTheSystemClock {
    @Test
    @ModeTest(systemClock = true)
    void test(ManualClock clock) {}
  }

  @Test
  void refusesAManualClockParameterOnTheSystemClockSayingWhy() {
    assertThat(failureOf(run(AsksForAManualClockOnTheSystemClock.class))).contains("@ModeTest(systemClock = true)");
  }

  @Test
  void aCrashInASupervisedTimerIsSettledAndCountedAsLookedAtThroughCrashes(ModeTestKit kit, ManualClock clock) {
    Ticker ticker = new Ticker(2);
    OneForOneSupervisor supervisor = new OneForOneSupervisor();
    supervisor.add(ticker);
    kit.start(supervisor);

    clock.advance(Duration.ofSeconds(2));

    assertThat(ticker.state()).isEqualTo(State.RUNNING);
    assertThat(ticker.restartCount()).isEqualTo(1);
    assertThat(kit.crashes()).extracting(c -> c.reason().getMessage()).containsExactly("tick 2 failed");
  }

  /** Fails in onStart. */
  static class FailsToStart extends Service {
    @Override
    protected void onStart() {
      throw new IllegalStateException("no database");
    }
  }

  @Test
  void aStartFailureTheTestReceivedIsNotAnUnobservedCrash(ModeTestKit kit) {
    assertThatThrownBy(() -> kit.start(new FailsToStart())).isInstanceOf(ServiceException.class).hasMessageContaining("no database");
  }
}
