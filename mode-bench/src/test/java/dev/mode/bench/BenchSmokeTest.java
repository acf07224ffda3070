package dev.mode.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every workload at tiny sizes so that the harness cannot rot: each must finish and report the
 * numbers the table promises. No timing is asserted: these are two noisy cores.
 */
class BenchSmokeTest {
  @TempDir Path out;

  @Test
  void everyWorkloadRunsAtTinySizeAndReportsItsNumbers() throws Exception {
    BenchConfig config = BenchConfig.smoke(out);
    Results results = BenchMain.runAll(config, BenchMain.choose(List.of()));

    for (int n : config.w1Sizes()) {
      for (String subject : List.of(W1StartStop.MODE, W1StartStop.GUAVA, W1StartStop.GUAVA_VT)) {
        for (String metric : List.of(W1StartStop.START, W1StartStop.STOP, W1StartStop.TOTAL)) {
          assertThat(results.find("W1", subject, n, metric)).as("%s %s N=%d", subject, metric, n).isPresent();
        }
      }
    }
    int n2 = config.w2Sizes().get(0);
    assertThat(results.find("W2", W2Memory.MODE, n2, "retained heap bytes / service")).isPresent();
    assertThat(results.find("W2", W2Memory.MODE, n2, "RSS bytes / service")).isPresent();
    for (String subject : List.of(W2Memory.MODE, W2Memory.GUAVA, W2Memory.NETTY_100MS, W2Memory.NETTY_1MS)) {
      for (String metric : List.of(W2Memory.COLD, W2Memory.STEADY)) {
        assertThat(results.find("W2", subject, n2, metric))
            .as("the 1 s timers of %s ran in W2's 1.5 s window (%s)", subject, metric)
            .hasValueSatisfying(r -> assertThat(r.number()).isGreaterThan(0));
      }
      assertThat(results.find("W2", subject, n2, "RSS bytes / service")).as(subject).isPresent();
    }
    for (String subject :
        List.of(W3TimerPrecision.MODE, W3TimerPrecision.STPE_DELAY, W3TimerPrecision.STPE_RATE,
            W3TimerPrecision.NETTY_100MS, W3TimerPrecision.NETTY_1MS)) {
      assertThat(results.find("W3", subject, config.w3Services(), "runs / expected"))
          .as("%s timers ran", subject)
          .hasValueSatisfying(r -> assertThat(r.number()).isGreaterThan(0));
      assertThat(results.find("W3", subject, config.w3Services(), "lateness p99 ms")).isPresent();
    }

    int crashes = config.w4Crashes();
    for (String subject : List.of(W4RestartLatency.MODE_COLD, W4RestartLatency.MODE)) {
      for (String metric : List.of(W4RestartLatency.MEDIAN, W4RestartLatency.MAX, W4RestartLatency.FIRST)) {
        assertThat(results.find("W4", subject, crashes, metric))
            .as("W4 %s %s: every crash was followed by RUNNING again", subject, metric)
            .hasValueSatisfying(r -> assertThat(r.number()).isGreaterThan(0));
      }
    }
    for (String level : List.of("warn", "info")) {
      assertThat(results.find("W5", W5Shutdown.subject(level), config.w5Services(), W5Shutdown.MEDIAN))
          .as("W5 at %s: the Worker exited on SIGTERM", level)
          .hasValueSatisfying(r -> assertThat(r.number()).isGreaterThan(0));
    }
    assertThat(results.find("W5", W5Shutdown.subject("info"), config.w5Services(), W5Shutdown.WORKER_STOP))
        .as("at info the Worker logs how long its stop took")
        .isPresent();

    for (String subject : List.of(W6StopSleepingTasks.SERVICE_SLEEP, W6StopSleepingTasks.THREAD_SLEEP)) {
      assertThat(results.find("W6", subject, config.w6Services(), W6StopSleepingTasks.MEDIAN))
          .as("W6 %s: the tree of sleeping tasks stopped", subject)
          .hasValueSatisfying(r -> assertThat(r.number()).isGreaterThan(0));
    }

    for (String metric : List.of(W7TimerRunCost.CPU, W7TimerRunCost.ALLOC)) {
      assertThat(results.find("W7", W7TimerRunCost.MODE, W7TimerRunCost.SERVICES, metric))
          .as("W7 %s: the empty timers ran and were measured", metric)
          .hasValueSatisfying(r -> assertThat(r.number()).isGreaterThan(0));
    }

    results.write(out);
    assertThat(Files.readString(out.resolve("table.md")))
        .contains("| W1 ", "| W2 ", "| W3 ", "| W4 ", "| W5 ", "| W6 ", "| W7 ");
    assertThat(Plots.w1(results, out.resolve("w1.png"))).isTrue();
    assertThat(Files.size(out.resolve("w1.png"))).isPositive();
    assertThat(Plots.w2(results, out.resolve("w2.png"))).isTrue();
    assertThat(Files.size(out.resolve("w2.png"))).isPositive();
  }

  @Test
  void unknownWorkloadIsRejectedNamingItAndTheAcceptedIds() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> BenchMain.choose(List.of("W9")))
        .hasMessageContaining("'W9'")
        .hasMessageContaining("W1, W2, W3, W4, W5, W6, W7");
  }

  @Test
  void badOptionValueIsRejectedNamingTheOptionTheValueAndTheAcceptedForm() {
    java.io.StringWriter err = new java.io.StringWriter();
    int code =
        new picocli.CommandLine(new BenchMain())
            .setErr(new java.io.PrintWriter(err))
            .execute("--w1-sizes", "10,-5", "--out", out.toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("Invalid value '-5' for --w1-sizes: use whole numbers >= 1");
  }

  @Test
  void workloadIdsAreCaseInsensitive() {
    assertThat(BenchMain.choose(List.of("w3", "W1"))).extracting(Workload::id).containsExactly("W3", "W1");
  }
}
