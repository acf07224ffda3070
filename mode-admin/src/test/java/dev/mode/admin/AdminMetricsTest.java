package dev.mode.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mode.Service;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** GET /metrics: Prometheus text with per-service, per-timer and JVM meters. */
class AdminMetricsTest extends RunningAdmin {

  String scrape() {
    HttpResponse<String> r = http.get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    return r.body();
  }

  static double value(String scrape, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
    if (!m.find()) throw new AssertionError("No series " + series + " in:\n" + scrape);
    return Double.parseDouble(m.group(1));
  }

  @Test
  void serviceStateIsOneForTheCurrentStateOnly() {
    String s = scrape();
    assertThat(value(s, "mode_service_state{path=\"App/Cache\",state=\"RUNNING\"}")).isEqualTo(1.0);
    assertThat(value(s, "mode_service_state{path=\"App/Cache\",state=\"CRASHED\"}")).isEqualTo(0.0);
    app.cache.stop();
    String after = scrape();
    assertThat(value(after, "mode_service_state{path=\"App/Cache\",state=\"SHUTDOWN\"}")).isEqualTo(1.0);
    assertThat(value(after, "mode_service_state{path=\"App/Cache\",state=\"RUNNING\"}")).isEqualTo(0.0);
  }

  @Test
  void restartsCrashesDurationsAndTasksPerService() {
    app.fetcher.restart();
    app.cache.crash(new IllegalStateException("boom"));
    String s = scrape();
    assertThat(value(s, "mode_service_restarts_total{path=\"App/Fetcher\"}")).isEqualTo(1.0);
    assertThat(value(s, "mode_service_crashes_total{path=\"App/Cache\"}")).isEqualTo(1.0);
    assertThat(value(s, "mode_service_crashes_total{path=\"App/Fetcher\"}")).isEqualTo(0.0);
    assertThat(value(s, "mode_service_start_duration_seconds{path=\"App/Fetcher\"}")).isPositive();
    assertThat(value(s, "mode_service_stop_duration_seconds{path=\"App/Fetcher\"}")).isPositive();
    assertThat(value(s, "mode_service_tasks{path=\"App/Fetcher\"}")).isEqualTo(1.0);
    assertThat(s).contains("mode_service_uptime_seconds{path=\"App/Fetcher\"}");
  }

  @Test
  void timerCountersFollowTheTimer() {
    await().until(() -> app.cache.timers().get(0).runs() >= 3);
    String s = scrape();
    assertThat(value(s, "mode_timer_runs_total{path=\"App/Cache\",timer=\"expire\"}")).isGreaterThanOrEqualTo(3.0);
    assertThat(s).contains("mode_timer_overlaps_total{path=\"App/Cache\",timer=\"expire\"}");
    assertThat(s).contains("mode_timer_drifts_total{direction=\"late\",path=\"App/Cache\",timer=\"expire\"}");
    assertThat(s).contains("mode_timer_errors_total{path=\"App/Cache\",timer=\"expire\"}");
    assertThat(s).contains("mode_timer_last_duration_seconds{path=\"App/Cache\",timer=\"expire\"}");
  }

  @Test
  void servicesAddedAtRuntimeGetMetersAndRemovedOnesLoseThem() {
    Fixtures.NoOpService extra = app.addRuntimeDependency(new Fixtures.NoOpService("Extra"));
    assertThat(value(scrape(), "mode_service_state{path=\"App/Extra\",state=\"RUNNING\"}")).isEqualTo(1.0);
    app.removeDependency(extra);
    assertThat(scrape()).doesNotContain("App/Extra");
  }

  @Test
  void jvmAndReadinessMetersAreThere() {
    String s = scrape();
    assertThat(s).contains("jvm_memory_used_bytes").contains("jvm_threads_live_threads").contains("process_uptime_seconds");
    assertThat(value(s, "mode_admin_ready")).isEqualTo(1.0);
    if (Runtime.version().feature() >= 24) {
      assertThat(s).as("the JDK 24+ virtual-thread scheduler").contains("jvm_threads_virtual_scheduler_parallelism");
    }
  }

  /** A service that brings meters of its own, as mode-cluster's Cluster does. */
  static final class Metered extends Service implements MeterBinder {
    @Override
    public void bindTo(MeterRegistry registry) {
      registry.gauge("metered.answer", 42);
    }
  }

  @Test
  void aServiceThatIsAMeterBinderHasItsMetersScrapedWhileItIsInTheTree() {
    Metered metered = app.addRuntimeDependency(new Metered());
    assertThat(value(scrape(), "metered_answer")).isEqualTo(42.0);
    app.removeDependency(metered);
    assertThat(scrape()).doesNotContain("metered_answer");
  }

  @Test
  void theProgramCanAddItsOwnMeters() {
    admin.meterRegistry().counter("orders.placed").increment(3);
    assertThat(value(scrape(), "orders_placed_total")).isEqualTo(3.0);
  }

  // issue 13, defect 10: the scrape passes `promtool check metrics` (Debian's prometheus package)
  @Test
  void theScrapeIsLintCleanForPromtool() throws Exception {
    java.util.Optional<java.nio.file.Path> promtool = java.util.stream.Stream.of(
            System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
        .map(d -> java.nio.file.Path.of(d, "promtool"))
        .filter(java.nio.file.Files::isExecutable)
        .findFirst();
    org.junit.jupiter.api.Assumptions.assumeTrue(promtool.isPresent(),
        "promtool is not on the PATH: install it (Debian: apt-get install prometheus) to lint the scrape");
    Process p = new ProcessBuilder(promtool.get().toString(), "check", "metrics").redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write(scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("promtool check metrics said:\n%s", out).isZero();
    assertThat(scrape()).contains("process_cpu_seconds_total").contains("system_cpus ");
  }
}
