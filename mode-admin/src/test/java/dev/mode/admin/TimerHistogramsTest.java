package dev.mode.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mode_timer_run_seconds: a histogram of run durations per timer and outcome, in GET /metrics. */
class TimerHistogramsTest extends RunningAdmin {
  private static final String EXPIRE = "outcome=\"success\",path=\"App/Cache\",timer=\"expire\"";

  @Test
  void everyRunOfATimerIsCountedInItsHistogramWithBucketsFrom1msTo10min() {
    await().until(() -> app.cache.timers().get(0).runs() >= 5);
    // the scrape may come between a run's end and its report to the listener: wait for the count
    await().until(() -> AdminMetricsTest.value(scrape(), "mode_timer_run_seconds_count{" + EXPIRE + "}") >= 5);
    String s = scrape();
    assertThat(s).contains("# TYPE mode_timer_run_seconds histogram");
    assertThat(AdminMetricsTest.value(s, "mode_timer_run_seconds_bucket{" + EXPIRE + ",le=\"+Inf\"}"))
        .isEqualTo(AdminMetricsTest.value(s, "mode_timer_run_seconds_count{" + EXPIRE + "}"));
    assertThat(s).contains("mode_timer_run_seconds_bucket{" + EXPIRE + ",le=\"0.001\"}");
    assertThat(s).contains("mode_timer_run_seconds_bucket{" + EXPIRE + ",le=\"600.0\"}");
    assertThat(s.lines().filter(l -> l.startsWith("mode_timer_run_seconds_bucket{" + EXPIRE))).as("the fixed buckets and +Inf").hasSize(17);
    assertThat(AdminMetricsTest.value(s, "mode_timer_run_seconds_sum{" + EXPIRE + "}")).isPositive();
  }

  @Test
  void failedRunsAreCountedApartWithOutcomeError() {
    AtomicInteger n = new AtomicInteger();
    app.fetcher.addTimer("flaky", Duration.ofMillis(20), false, true, () -> {
      if (n.incrementAndGet() % 2 == 0) throw new IllegalStateException("every other run fails");
    });
    String flakyError = "outcome=\"error\",path=\"App/Fetcher\",timer=\"flaky\"";
    String flakyOk = "outcome=\"success\",path=\"App/Fetcher\",timer=\"flaky\"";
    await().until(() -> scrape().contains("mode_timer_run_seconds_count{" + flakyError + "}"));
    await().until(() -> AdminMetricsTest.value(scrape(), "mode_timer_run_seconds_count{" + flakyError + "}") >= 2);
    assertThat(AdminMetricsTest.value(scrape(), "mode_timer_run_seconds_count{" + flakyOk + "}")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void theHistogramsOfAServiceLeaveWithIt() {
    await().until(() -> scrape().contains("mode_timer_run_seconds_count{" + EXPIRE + "}"));
    app.removeDependency(app.cache);
    assertThat(scrape()).doesNotContain("timer=\"expire\"");
  }

  @Test
  void promtoolFindsNothingToSayAboutTheHistograms(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(onPath("promtool"), "promtool is not installed (apt-get install prometheus)");
    await().until(() -> scrape().contains("mode_timer_run_seconds_count{" + EXPIRE + "}"));
    Path file = dir.resolve("metrics.txt");
    Files.writeString(file, scrape());
    Process p = new ProcessBuilder("promtool", "check", "metrics").redirectInput(file.toFile()).redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    // other meters are another matter (JVM binders); this lint is about ours
    assertThat(out.lines().filter(l -> l.contains("mode_timer_run"))).as(out).isEmpty();
  }

  private String scrape() {
    return http.get("/metrics").body();
  }

  private static boolean onPath(String tool) throws IOException {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, tool))) return true;
    }
    return false;
  }
}
