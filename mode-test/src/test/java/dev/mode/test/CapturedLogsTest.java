package dev.mode.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import dev.mode.supervisor.OneForOneSupervisor;
import dev.mode.test.Fixtures.Ticker;
import dev.mode.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/** Log lines are captured, quiet on the console, and asserted by level and text. */
@ModeTest
class CapturedLogsTest {
  @Test
  void aCrashLineIsCapturedWithItsPrefixAndAssertingItCountsAsLookingAtTheCrash(ModeTestKit kit, ManualClock clock, CapturedLogs logs) {
    Ticker ticker = new Ticker(1);
    OneForOneSupervisor supervisor = new OneForOneSupervisor();
    supervisor.add(ticker);
    kit.start(supervisor);

    clock.advance(Duration.ofSeconds(1));

    LogLine line = logs.assertLogged(Level.ERROR, "[^-Ticker]: Crashed reason=java.lang.IllegalStateException: tick 1 failed");
    assertThat(line.service()).hasValue("OneForOneSupervisor/Ticker");
    assertThat(line.error()).get().isInstanceOf(IllegalStateException.class);
    logs.assertLogged(Level.WARN, "[^OneForOneSupervisor]: Restarting dead OneForOneSupervisor/Ticker!");
  }

  @Test
  void aMissingLineFailsListingTheLinesAtThatLevel(ModeTestKit kit, CapturedLogs logs) {
    kit.start(new Ticker());
    assertThatThrownBy(() -> logs.assertLogged(Level.INFO, "no such line"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected a line at INFO containing \"no such line\"")
        .hasMessageContaining("[INFO]: [^Ticker]: Starting...");
    assertThatThrownBy(() -> logs.assertNotLogged(Level.INFO, "Starting"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("[^Ticker]: Starting...");
  }

  @Test
  void theConsoleIsQuietDuringTheTest() {
    Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    List<String> appenders = new ArrayList<>();
    root.iteratorForAppenders().forEachRemaining(a -> appenders.add(a.getName()));
    assertThat(appenders).containsExactly("mode-test-capture");
  }

  @Test
  @ModeTest(logLevel = "WARN")
  void theLevelIsChosenPerTest(ModeTestKit kit, CapturedLogs logs) {
    kit.start(new Ticker());
    assertThat(logs.lines()).isEmpty();
  }

  @Test
  void awaitLoggedReturnsALineLoggedLaterByAnotherThread(CapturedLogs logs) throws Exception {
    Thread.ofVirtual().start(() -> LoggerFactory.getLogger("elsewhere").warn("written later"));
    assertThat(logs.awaitLogged(Level.WARN, "written later", Duration.ofSeconds(10)).logger()).isEqualTo("elsewhere");
  }
}
