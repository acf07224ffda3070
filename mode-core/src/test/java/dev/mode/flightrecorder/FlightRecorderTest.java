package dev.mode.flightrecorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.mode.time.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
  void currentIsTheInnermostOpenRecordingOfThisThread() throws Exception {
    assertThat(FlightRecorder.current()).isEmpty();
    try (FlightRecorder.Recording outer = recorder.start("outer")) {
      assertThat(FlightRecorder.current()).containsSame(outer);
      try (FlightRecorder.Recording inner = recorder.start("inner")) {
        assertThat(FlightRecorder.current()).containsSame(inner);
        Optional<?>[] elsewhere = new Optional<?>[1];
        Thread other = Thread.ofVirtual().start(() -> elsewhere[0] = FlightRecorder.current());
        other.join();
        assertThat(elsewhere[0]).as("another thread has its own, none").isEmpty();
      }
      assertThat(FlightRecorder.current()).as("closing the inner uncovers the outer").containsSame(outer);
    }
    assertThat(FlightRecorder.current()).isEmpty();
  }

  @Test
  void aRecordingClosedFromAnotherThreadIsNoLongerCurrent() throws Exception {
    try (FlightRecorder.Recording outer = recorder.start("outer")) {
      FlightRecorder.Recording inner = recorder.start("inner");
      Thread closer = Thread.ofVirtual().start(inner::close);
      closer.join();
      assertThat(FlightRecorder.current()).containsSame(outer);
    }
    assertThat(FlightRecorder.current()).isEmpty();
  }

  @Test
  void codeDeepInTheOperationLogsToItThroughCurrent() {
    FlightRecorder.Recording rec = recorder.start("deep");
    deepHelper("k1");
    clock.advance(Duration.ofSeconds(5));
    await().atMost(Duration.ofSeconds(10)).until(() -> appender.list.size() >= 3);
    rec.close();
    assertThat(lines().get(1)).isEqualTo("DEBUG [flight recorder] +0ms cache miss k1");
  }

  private static void deepHelper(String key) {
    FlightRecorder.current().ifPresent(r -> r.debug("cache miss {}", key));
  }

  @Test
  void contextIsMergedIntoReplayedLinesAndLaterOnes() throws Exception {
    FlightRecorder.Recording rec = recorder.start("sync").context("tenant", "acme");
    rec.info("fetching page {}", 1);
    rec.context("page", 1);
    clock.advance(Duration.ofSeconds(5));
    await().atMost(Duration.ofSeconds(10)).until(() -> appender.list.size() >= 3);
    rec.info("late");
    rec.close();
    assertThat(lines().get(1)).isEqualTo("INFO [flight recorder] +0ms fetching page 1 {tenant=acme, page=1}");
    assertThat(lines().get(3)).isEqualTo("INFO +5s late {tenant=acme, page=1}");
  }

  @Test
  void aNestedRecordingStartsWithItsOutersContextAndMayOverrideIt() {
    try (FlightRecorder.Recording outer = recorder.start("outer").context("tenant", "acme").context("job", "sync")) {
      try (FlightRecorder.Recording inner = recorder.start("inner").context("job", "page 3")) {
        assertThat(inner.context()).containsExactly(entry("tenant", "acme"), entry("job", "page 3"));
        inner.context("extra", true);
      }
      assertThat(outer.context()).as("the outer is untouched").containsExactly(entry("tenant", "acme"), entry("job", "sync"));
    }
  }

  interface UserStore {
    String load(int id, String name);

    void fail(char code) throws IOException;
  }

  @Test
  void aWrappedObjectLogsEachCallToTheRecordingAndBehavesAsItself() throws Exception {
    UserStore real = new UserStore() {
      @Override
      public String load(int id, String name) {
        return name + "#" + id;
      }

      @Override
      public void fail(char code) throws IOException {
        throw new IOException("disk " + code);
      }
    };
    FlightRecorder.Recording rec = recorder.start("wrapped");
    UserStore store = rec.wrap(UserStore.class, real);
    assertThat(store.load(42, "bob")).isEqualTo("bob#42");
    assertThatThrownBy(() -> store.fail('x')).isInstanceOf(IOException.class).hasMessage("disk x");
    assertThat(store.toString()).contains("FlightRecorder.wrap(");
    UserStore loud = rec.wrap(org.slf4j.event.Level.WARN, UserStore.class, real);
    loud.load(7, null);
    clock.advance(Duration.ofSeconds(5));
    await().atMost(Duration.ofSeconds(10)).until(() -> appender.list.size() >= 5);
    rec.close();
    assertThat(lines().subList(1, 4)).containsExactly(
        "INFO [flight recorder] +0ms UserStore.load(42, \"bob\")",
        "INFO [flight recorder] +0ms UserStore.fail('x')",
        "WARN [flight recorder] +0ms UserStore.load(7, null)");
  }

  @Test
  void wrapRejectsAClassNamingTheInterfaceItNeeds() {
    try (FlightRecorder.Recording rec = recorder.start("bad wrap")) {
      assertThatThrownBy(() -> rec.wrap(StringBuilder.class, new StringBuilder()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("needs an interface")
          .hasMessageContaining("java.lang.StringBuilder");
    }
  }

  @Test
  void aNonPositiveTimeoutIsRejected() {
    assertThatThrownBy(() -> new FlightRecorder(logger, Duration.ZERO, clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout must be positive");
  }
}
