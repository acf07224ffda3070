package dev.mode.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mode.examples.confined.ConfinedExample;
import dev.mode.examples.flightrecorder.FlightRecorderExample;
import dev.mode.examples.signal.SignalExample;
import dev.mode.examples.supervisor.RestartLatency;
import dev.mode.examples.supervisor.SupervisorExample;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The examples that docs/ shows for supervisors, signals, confined services and the flight recorder run. */
@Timeout(60)
class ToolkitExamplesTest {
  interface Main {
    void run() throws Exception;
  }

  /** Runs {@code main} and returns what it printed to standard output (shared by the examples' tests). */
  static String output(Main main) throws Exception {
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      main.run();
    } finally {
      System.setOut(old);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void supervisorExampleRestartsTheFetcherAndEscalatesTheInnerSupervisor() throws Exception {
    assertThat(output(() -> SupervisorExample.main(new String[0])))
        .contains("fetcher restarted 2 times, last crash: upstream refused connection (run 2)")
        .contains("inner supervisor restarted by outer after:")
        .contains("at most 0 restarts within 5s");
  }

  @Test
  void signalExampleRunsReceiversInOrderAndReportsTheFailure() throws Exception {
    assertThat(output(() -> SignalExample.main(new String[0])))
        .contains("audit: A-1\nmail: thanks for A-1\naudit: A-2\nmail: thanks for A-2\n1 receiver failed: negative total in A-2\nmail: thanks for A-3");
  }

  @Test
  void confinedExampleKeepsTheLibraryOnOneThreadAndCountsEveryMessage() throws Exception {
    assertThat(output(() -> ConfinedExample.main(new String[0])))
        .contains("printed 3 lines on one thread")
        .contains("count = 10000")
        .contains("Cannot send to Counter: it is SHUTDOWN");
  }

  @Test
  void flightRecorderExampleRuns() throws Exception {
    FlightRecorderExample.main(new String[0]);
  }

  @Test
  void restartLatencyMeasures() throws Exception {
    assertThat(output(() -> RestartLatency.main(new String[] {"20", "5"})))
        .contains("crash -> RUNNING under OneForOneSupervisor, 20 crashes after 5 warm-up")
        .containsPattern("median \\d+ us");
  }

}
