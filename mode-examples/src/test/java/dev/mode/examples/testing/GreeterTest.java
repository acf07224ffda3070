package dev.mode.examples.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mode.test.ModeTest;
import dev.mode.test.ModeTestKit;
import dev.mode.test.WorkerRun;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** docs/testing.md, "A Worker program". */
@ModeTest(systemClock = true)
class GreeterTest {
  @Test
  void greetsAndExitsWithZero(ModeTestKit kit) throws Exception {
    WorkerRun run = kit.runWorker(Greeter.program()::execute, "--loglevel", "info");

    assertThat(run.exitCode()).hasValue(0);
    kit.logs().assertLogged(Level.INFO, "[^-Greeter]: Hello from Worker/Greeter");
  }

  @Test
  void aBadOptionExitsWithTwoAndTheUsage(ModeTestKit kit) throws Exception {
    WorkerRun run = kit.runWorker(Greeter.program()::execute, "--colour");

    assertThat(run.exitCode()).hasValue(2);
    assertThat(run.err()).contains("--colour").contains("Usage: greeter");
  }
}
