package dev.mode.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mode.ServiceException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The Worker's rules that need no process: exit codes, builder validation, the console's helpers. */
class WorkerTest {
  @Test
  void exitCodeComesFromTheCrashReason() {
    assertThat(Worker.exitCodeFor(new IllegalStateException("x"))).isEqualTo(1);
    assertThat(Worker.exitCodeFor(new ServiceException("start failed", new OutOfMemoryError()))).isEqualTo(71);
    assertThat(Worker.exitCodeFor(new RuntimeException(new ExitException(4, "done")))).isEqualTo(4);
  }

  @Test
  void exitCodesOutsideZeroTo255AreRejectedWithTheRange() {
    assertThatThrownBy(() -> new ExitException(256, "x")).hasMessageContaining("256").hasMessageContaining("0 to 255");
    assertThatThrownBy(() -> new Worker().exit(-1)).hasMessageContaining("-1");
  }

  @Test
  void builderRejectsBadValuesNamingThem() {
    assertThatThrownBy(() -> Worker.builder().loglevel("loud")).hasMessageContaining("'loud'");
    assertThatThrownBy(() -> Worker.builder().consolePort(70000)).hasMessageContaining("70000");
    assertThatThrownBy(() -> Worker.builder().blockingTimeout(Duration.ZERO)).hasMessageContaining("more than 0");
  }

  @Test
  void runningFailsClearlyWhenNoWorkerRuns() {
    assertThatThrownBy(Worker::running).isInstanceOf(IllegalStateException.class).hasMessageContaining("No Worker");
  }

  @Test
  void consoleSuggestsTheClosestCommand() {
    assertThat(Console.closest("tre")).isEqualTo("tree");
    assertThat(Console.closest("restrat")).isEqualTo("restart");
    assertThat(Console.closest("thread")).isEqualTo("threads");
    assertThat(ServicePaths.distance("kitten", "sitting", Integer.MAX_VALUE)).isEqualTo(3);
  }
}
