package dev.mode;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.mode.Fixtures.BlockingTaskService;
import dev.mode.Fixtures.NoOpService;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC §3 (revised 2026-12-01): stop never hangs, takes any timeout, and leaves no descendant running. */
class BoundedStopTest {
  // virtual threads: the common pool may have one worker on two cores, and these must run at once
  static final ExecutorService VT = Executors.newVirtualThreadPerTaskExecutor();


  /** Blocks in the named stop step until released; ignores interrupts. */
  static final class HangingService extends NoOpService {
    final String where;
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch left = new CountDownLatch(1);

    HangingService(String where) {
      super("Hanging");
      this.where = where;
      setStopTimeout(Duration.ofMillis(200));
      if (where.equals("close")) addCloseable(this::hang);
    }

    void hang() {
      entered.countDown();
      while (release.getCount() > 0) {
        try {
          release.await();
        } catch (InterruptedException ignored) {
          // deliberately ignores cancellation
        }
      }
      left.countDown();
    }

    @Override
    protected void onStop() {
      if (where.equals("onStop")) hang();
    }

    @Override
    protected void onShutdown() {
      if (where.equals("onShutdown")) hang();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"onStop", "onShutdown", "close"})
  void aBlockingStopStepIsLoggedWithItsStackAndTheStopReturns(String where) throws Exception {
    // regression: stop() never returned when onStop, onShutdown or a closeable's close() blocked
    HangingService s = new HangingService(where);
    s.start();
    try (LogCapture logs = LogCapture.info()) {
      CompletableFuture<Void> stop = CompletableFuture.runAsync(s::stop, VT);
      try {
        stop.get(10, TimeUnit.SECONDS);
      } finally {
        s.release.countDown();
      }
      assertThat(s.entered.getCount()).isZero();
      assertThat(s.state()).isEqualTo(State.SHUTDOWN);
      List<ILoggingEvent> warns =
          logs.events().stream().filter(e -> e.getLevel() == Level.WARN).toList();
      assertThat(warns).as("one warning naming the laggard " + where).hasSize(1);
      assertThat(warns.get(0).getFormattedMessage()).contains(where).contains("200ms");
      assertThat(warns.get(0).getThrowableProxy().getStackTraceElementProxyArray())
          .as("the laggard's current stack")
          .anyMatch(e -> e.getSTEAsString().contains("HangingService.hang"));
    }
  }

  @Test
  void aHangDeepInTheTreeIsLeftBehindAndTheRestOfTheStopRunsOnce() throws Exception {
    Trace trace = new Trace();
    TracingService root = new TracingService("Root", trace);
    TracingService first = root.addDependency(new TracingService("First", trace));
    HangingService hanging = root.addDependency(new HangingService("onStop"));
    TracingService below = hanging.addDependency(new TracingService("Below", trace));
    root.setStopTimeout(Duration.ofMillis(200));
    root.start();
    trace.drain();
    try (LogCapture logs = LogCapture.info()) {
      CompletableFuture.runAsync(root::stop, VT).get(10, TimeUnit.SECONDS);
      assertThat(logs.messages()).filteredOn(m -> m.contains("did not return")).hasSize(1);
    }
    hanging.release.countDown(); // the abandoned thread returns and must do nothing more
    assertThat(hanging.left.await(10, TimeUnit.SECONDS)).isTrue();
    org.awaitility.Awaitility.await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(5))
        .until(() -> trace.events().size() == 6);
    assertThat(trace.drain())
        .containsExactly(
            "Root.onStop", "Below.onStop", "Below.onShutdown", "First.onStop", "First.onShutdown", "Root.onShutdown");
    assertThat(List.of(root, first, hanging, below)).allMatch(s -> s.state() == State.SHUTDOWN);
  }

  @Test
  void stopStopsARunningGrandchildUnderANeverStartedChild() throws Exception {
    // regression: r.start(); a = r.addDependency(x); b = a.addDependency(y); b.start(); r.stop() left b RUNNING
    NoOpService r = new NoOpService("R");
    r.start();
    NoOpService a = r.addDependency(new NoOpService("A"));
    BlockingTaskService b = a.addDependency(new BlockingTaskService("B"));
    b.start();
    assertThat(b.running.await(10, TimeUnit.SECONDS)).isTrue();
    r.stop();
    assertThat(b.state()).isEqualTo(State.SHUTDOWN);
    assertThat(b.threads()).isEmpty();
    assertThat(b.interrupted).isTrue();
  }

  @Test
  void aSecondStopOfAStoppedRootStillStopsADescendantStartedSince() throws Exception {
    NoOpService r = new NoOpService("R");
    r.start();
    r.stop();
    NoOpService a = r.addDependency(new NoOpService("A"));
    BlockingTaskService b = a.addDependency(new BlockingTaskService("B"));
    b.start();
    assertThat(b.running.await(10, TimeUnit.SECONDS)).isTrue();
    r.stop();
    assertThat(b.state()).isEqualTo(State.SHUTDOWN);
    assertThat(b.threads()).isEmpty();
    assertThat(r.state()).isEqualTo(State.SHUTDOWN);
  }

  @Test
  void aStopTimeoutOfForeverMeansNoBound() throws Exception {
    // regression: setStopTimeout(FOREVER) made every stop() throw ArithmeticException
    BlockingTaskService s = new BlockingTaskService("S");
    s.setStopTimeout(ChronoUnit.FOREVER.getDuration());
    s.start();
    assertThat(s.running.await(10, TimeUnit.SECONDS)).isTrue();
    s.stop();
    assertThat(s.state()).isEqualTo(State.SHUTDOWN);
    assertThat(s.interrupted).isTrue();
    assertThat(s.stopTimeout()).isEqualTo(ChronoUnit.FOREVER.getDuration());
  }

  @Test
  void awaitStoppedAcceptsForever() throws Exception {
    // regression: awaitStopped(FOREVER) threw ArithmeticException
    NoOpService s = new NoOpService("S");
    s.start();
    CompletableFuture<Boolean> waited =
        CompletableFuture.supplyAsync(() -> s.awaitStopped(ChronoUnit.FOREVER.getDuration()), VT);
    s.stop();
    assertThat(waited.get(10, TimeUnit.SECONDS)).isTrue();
  }
}
