package dev.mode.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The lifecycle and timer runs reach Java Flight Recorder as dev.mode.* events. */
class FlightEventsTest {
  static final List<String> NAMES = List.of(
      "dev.mode.ServiceStart", "dev.mode.ServiceStop", "dev.mode.ServiceCrash", "dev.mode.ServiceRestart",
      "dev.mode.TimerRun");

  final List<RecordedEvent> events = new CopyOnWriteArrayList<>();
  final RecordingStream stream = new RecordingStream();
  final Fixtures.App app = new Fixtures.App();
  final AdminService admin = new AdminService(app, Fixtures.options().jmx(false));

  @BeforeEach
  void record() {
    for (String name : NAMES) stream.enable(name);
    stream.setMaxAge(Duration.ofMinutes(1));
    stream.onEvent(events::add);
    stream.startAsync();
  }

  @AfterEach
  void stop() {
    admin.stop();
    app.stop();
    stream.close();
  }

  List<RecordedEvent> named(String name, String path) {
    return events.stream()
        .filter(e -> e.getEventType().getName().equals(name) && path.equals(e.getString("path")))
        .toList();
  }

  @Test
  void startStopCrashAndRestartOfAServiceAreRecorded() {
    admin.start();
    app.start();
    app.fetcher.restart();
    app.cache.crash(new IllegalStateException("cache corrupt"));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(named("dev.mode.ServiceStart", "App/Fetcher")).hasSize(2);
      assertThat(named("dev.mode.ServiceStop", "App/Fetcher")).hasSize(1);
      assertThat(named("dev.mode.ServiceRestart", "App/Fetcher")).hasSize(1);
      assertThat(named("dev.mode.ServiceCrash", "App/Cache")).hasSize(1);
    });
    RecordedEvent start = named("dev.mode.ServiceStart", "App/Fetcher").get(0);
    assertThat(start.getString("outcome")).isEqualTo("RUNNING");
    assertThat(start.getDuration()).as("a start spans STARTING to RUNNING").isPositive();
    RecordedEvent stop = named("dev.mode.ServiceStop", "App/Fetcher").get(0);
    assertThat(stop.getString("outcome")).isEqualTo("SHUTDOWN");
    RecordedEvent restart = named("dev.mode.ServiceRestart", "App/Fetcher").get(0);
    assertThat(restart.getInt("restartCount")).isEqualTo(1);
    assertThat(restart.getString("previousState")).isEqualTo("SHUTDOWN");
    RecordedEvent crash = named("dev.mode.ServiceCrash", "App/Cache").get(0);
    assertThat(crash.getString("reasonClass")).isEqualTo("java.lang.IllegalStateException");
    assertThat(crash.getString("reason")).isEqualTo("cache corrupt");
  }

  // issue 13, defect 10: a crashed service stays CRASHED through its stop; the stop is recorded all the same
  @Test
  void theStopOfACrashedServiceIsRecorded() {
    admin.start();
    app.start();
    app.cache.crash(new IllegalStateException("cache corrupt"));
    app.cache.stop();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(named("dev.mode.ServiceStop", "App/Cache")).hasSize(1));
    RecordedEvent stop = named("dev.mode.ServiceStop", "App/Cache").get(0);
    assertThat(stop.getString("outcome")).isEqualTo("CRASHED");
    assertThat(stop.getDuration("stopTime")).isPositive();
  }

  @Test
  void eachTimerRunIsRecordedWithItsLatenessAndRuntime() {
    app.start();
    admin.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> named("dev.mode.TimerRun", "App/Cache").size() >= 2);
    RecordedEvent e = named("dev.mode.TimerRun", "App/Cache").get(0);
    assertThat(e.getString("timer")).isEqualTo("expire");
    assertThat(e.getDuration("runtime").isNegative()).isFalse();
    assertThat(e.getBoolean("overlapped")).isFalse();
    assertThat(e.getString("error")).isNull();
  }
}
