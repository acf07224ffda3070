package dev.mode.flightrecorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.mode.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** SPEC §8: an operation's log is printed, with its stack, only if it outlives its timeout. */
class FlightRecorderTest {
  final ManualClock clock = new ManualClock();
  final Logger logger = (Logger) LoggerFactory.getLogger("dev.mode.flightrecorder.test");
  final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  final FlightRecorder recorder = new FlightRecorder(logger, Duration.ofSeconds(5), clock);

  @BeforeEach
  void capture() {
    appender.start();
    logger.addAppender(appender);
    logger.setLevel(Level.DEBUG);
    logger.setAdditive(false);
  }

  @AfterEach
  void release() {
    logger.detachAppender(appender);
    logger.setLevel(null);
    logger.setAdditive(true);
  }

  private List<String> lines() {
    return appender.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
  }

  @Test
  void anOperationThatEndsInTimePrintsNothing() {
    try (FlightRecorder.Recording rec = recorder.start("quick")) {
      rec.info("step {}", 1);
      rec.warn("step {}", 2);
      clock.advance(Duration.ofMillis(4999));
    }
    clock.advance(Duration.ofSeconds(10));
    assertThat(appender.list).isEmpty();
  }

  @Test
  void anOperationPastItsTimeoutPrintsItsLinesThenItsStackThenLaterLines() throws Exception {
    CountDownLatch logged = new CountDownLatch(1);
    CountDownLatch timedOut = new CountDownLatch(1);
    CountDownLatch finished = new CountDownLatch(1);
    FlightRecorder.Recording[] holder = new FlightRecorder.Recording[1];
    Thread op = Thread.ofPlatform().name("slow-op").start(() -> {
      try (FlightRecorder.Recording rec = recorder.start("sync users")) {
        holder[0] = rec;
        rec.info("fetching page {}", 1);
        clock.advance(Duration.ofSeconds(1));
        rec.debug("page {} has {} users", 1, 20);
        logged.countDown();
        timedOut.await(); // "hangs" here while the test moves the clock
        rec.info("fetched {} users", 20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        finished.countDown();
      }
    });
    assertThat(logged.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(appender.list).as("nothing before the timeout").isEmpty();
    clock.advance(Duration.ofSeconds(4));
    await().atMost(Duration.ofSeconds(10)).until(() -> holder[0].timedOut() && appender.list.size() >= 4);
    timedOut.countDown();
    assertThat(finished.await(10, TimeUnit.SECONDS)).isTrue();
    op.join();

    List<String> lines = lines();
    assertThat(lines).hasSize(6);
    assertThat(lines.get(0)).isEqualTo("WARN Operation sync users has been running for more than 5s; its log so far follows, then its stack");
    assertThat(lines.get(1)).isEqualTo("INFO [flight recorder] +0ms fetching page 1");
    assertThat(lines.get(2)).isEqualTo("DEBUG [flight recorder] +1s page 1 has 20 users");
    assertThat(lines.get(3)).startsWith("WARN Operation sync users is still running; current stack of thread slow-op");
    assertThat(appender.list.get(3).getThrowableProxy().getStackTraceElementProxyArray())
        .as("the stack shows where the operation waits")
        .anyMatch(f -> f.getSTEAsString().contains("anOperationPastItsTimeoutPrintsItsLinesThenItsStackThenLaterLines"));
    assertThat(lines.get(4)).as("a line logged after the timeout is printed too").isEqualTo("INFO +5s fetched 20 users");
    assertThat(lines.get(5)).startsWith("INFO Operation sync users finished after 5s");
  }

  @Test
  void anErrorLineKeepsItsException() throws Exception {
    IllegalStateException boom = new IllegalStateException("boom");
    FlightRecorder.Recording rec = recorder.start("failing");
    rec.error("step failed", boom);
    clock.advance(Duration.ofSeconds(5));
    await().atMost(Duration.ofSeconds(10)).until(() -> appender.list.size() >= 3);
    rec.close();
    ILoggingEvent error = appender.list.get(1);
    assertThat(error.getLevel()).isEqualTo(Level.ERROR);
    assertThat(error.getThrowableProxy().getMessage()).isEqualTo("boom");
  }

  @Test
  void aLineLoggedAfterTheRecordingEndedGoesStraightToTheLog() {
    // issue 11 item 8: such a line was dropped silently
    FlightRecorder.Recording rec = recorder.start("ended");
    rec.info("buffered, then dropped");
    clock.advance(Duration.ofSeconds(2));
    rec.close();
    rec.warn("after the end: {}", "late");
    assertThat(lines()).containsExactly("WARN +2s after the end: late");
  }

  @Test
  void aNonPositiveTimeoutIsRejected() {
    assertThatThrownBy(() -> new FlightRecorder(logger, Duration.ZERO, clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout must be positive");
  }
}
