package dev.mode.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mode.Service;
import dev.mode.Task;
import dev.mode.test.ModeTest;
import dev.mode.test.ModeTestKit;
import dev.mode.test.WorkerRun;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/**
 * The Worker's exit codes and output, run in this JVM through the test kit: no process to spawn, no
 * output to poll (SPEC §7). The process-level behaviour (signals, exit at the OS level) stays in
 * WorkerEndToEndTest.
 */
@ModeTest(systemClock = true)
class WorkerInProcessTest {
  /** Asks the Worker for exit code 4 as soon as it runs. */
  static final class Quitter extends Service {
    @Task
    void quit() {
      Worker.running().exit(4);
    }
  }

  /** Crashes as soon as it runs. */
  static final class Crasher extends Service {
    @Task
    void fail() {
      throw new IllegalStateException("disk full");
    }
  }

  /** Runs until the Worker is told to stop. */
  static final class Idle extends Service {}

  @Test
  void anExitCodeRequestedByAServiceIsReturnedAfterAGracefulStop(ModeTestKit kit) throws Exception {
    WorkerRun run = kit.runWorker(new Worker(new Quitter())::execute);

    assertThat(run.exitCode()).hasValue(4);
    assertThat(run.out()).contains("[^Worker]: Stopped in").contains("[^Worker]: Exiting with code 4");
  }

  @Test
  void aCrashEndsTheWorkerWithCodeOneAndTheCrashLine(ModeTestKit kit) throws Exception {
    WorkerRun run = kit.runWorker(new Worker(new Crasher())::execute);

    assertThat(run.exitCode()).hasValue(Worker.EXIT_CRASH);
    kit.logs().assertLogged(Level.ERROR, "[^-Crasher]: Crashed reason=java.lang.IllegalStateException: disk full");
  }

  @Test
  void helpPrintsEveryOptionAndReturnsZero(ModeTestKit kit) throws Exception {
    WorkerRun run = kit.runWorker(new Worker()::execute, "--help");

    assertThat(run.exitCode()).hasValue(0);
    assertThat(run.out()).contains("--loglevel").contains("--logfile").contains("--shutdown-timeout");
  }

  @Test
  void aBadLogLevelReturnsTheUsageCodeNamingTheValue(ModeTestKit kit) throws Exception {
    WorkerRun run = kit.runWorker(new Worker()::execute, "--loglevel", "loud");

    assertThat(run.exitCode()).hasValue(Worker.EXIT_USAGE);
    assertThat(run.err()).contains("loud");
  }

  @Test
  void aRunningWorkerStopsCleanlyOnExitFromTheTest(ModeTestKit kit) throws Exception {
    Worker worker = new Worker(new Idle());
    WorkerRun run = kit.startWorker(worker::execute, "--loglevel=info");

    kit.logs().awaitLogged(Level.INFO, "[^Worker]: Ready", Duration.ofSeconds(30));
    worker.exit(0);

    assertThat(run.awaitExit(Duration.ofSeconds(30))).isZero();
    kit.logs().assertLogged(Level.INFO, "[^-Idle]: Stopped in");
  }
}
