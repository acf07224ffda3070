package dev.mode.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * A program run in-process: arguments in, exit code and output back, standard streams restored. (The
 * real Worker is run this way in mode-worker's and mode-examples' tests.)
 */
@ModeTest
class WorkerRunTest {
  @Test
  void aProgramGetsItsArgumentsAndGivesBackItsCodeOutputAndLog(ModeTestKit kit) throws Exception {
    var before = System.out;
    WorkerRun run =
        kit.runWorker(
            args -> {
              System.out.println("args " + String.join(",", args));
              System.err.println("a warning on stderr");
              LoggerFactory.getLogger("program").info("logged by the program");
              return 3;
            },
            "--loglevel", "info");

    assertThat(run.exitCode()).hasValue(3);
    assertThat(run.out()).isEqualTo("args --loglevel,info" + System.lineSeparator());
    assertThat(run.err()).contains("a warning on stderr");
    kit.logs().assertLogged(Level.INFO, "logged by the program");
    assertThat(System.out).as("standard output put back").isSameAs(before);
  }

  @Test
  void aProgramThatThrowsFailsWithTheException(ModeTestKit kit) {
    assertThatThrownBy(() -> kit.runWorker(args -> { throw new IllegalStateException("no exit code"); }))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("threw instead of returning an exit code")
        .hasMessageContaining("no exit code");
  }

  @Test
  void awaitOutSeesOutputOfARunningProgram(ModeTestKit kit) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    WorkerRun run =
        kit.startWorker(
            args -> {
              System.out.println("Ready");
              go.await();
              return 0;
            });
    run.awaitOut("Ready", Duration.ofSeconds(10));
    assertThat(run.isRunning()).isTrue();
    go.countDown();
    assertThat(run.awaitExit(Duration.ofSeconds(10))).isZero();
  }

  static class LeavesAProgramRunning {
    @Test
    @ModeTest
    void test(ModeTestKit kit) {
      kit.startWorker(
          args -> {
            new CountDownLatch(1).await(); // ends only on the interrupt
            return 0;
          });
    }
  }

  @Test
  void aProgramStillRunningAtTheEndIsInterruptedAndFailsTheTest() {
    var failed = EngineTestKit.engine("junit-jupiter").selectors(selectClass(LeavesAProgramRunning.class)).execute().testEvents().failed().list();
    assertThat(failed).hasSize(1);
    assertThat(failed.get(0).getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable))
        .get()
        .extracting(Throwable::getMessage)
        .asString()
        .contains("still running at the end of the test; it was interrupted and stopped");
  }
}
