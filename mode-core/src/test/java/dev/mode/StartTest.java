package dev.mode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mode.Fixtures.FailStartService;
import dev.mode.Fixtures.NoOpService;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** SPEC §1 start() and §2. */
class StartTest {
  final Trace trace = new Trace();

  @Test
  void startingARunningServiceIsANoOp() {
    TracingService a = new TracingService("A", trace);
    a.start();
    a.start();
    assertThat(trace.count("A.onStart")).isEqualTo(1);
    assertThat(a.state()).isEqualTo(State.RUNNING);
    a.stop();
  }

  @Test
  void stateIsStartingUntilOnStartedReturns() {
    State[] seen = new State[2];
    Service s =
        new Service() {
          @Override
          protected void onStart() {
            seen[0] = state();
          }

          @Override
          protected void onStarted() {
            seen[1] = state();
          }
        };
    s.start();
    assertThat(seen).containsExactly(State.STARTING, State.STARTING);
    assertThat(s.state()).isEqualTo(State.RUNNING);
  }

  @Test
  void failureRollsBackWhatThisStartStartedInReverseAndCrashes() {
    TracingService a = new TracingService("A", trace);
    TracingService b = a.addDependency(new TracingService("B", trace));
    TracingService c = a.addDependency(new TracingService("C", trace));
    FailStartService d = c.addDependency(new FailStartService("D", trace));
    TracingService e = a.addDependency(new TracingService("E", trace));

    assertThatThrownBy(a::start)
        .isInstanceOf(ServiceException.class)
        .hasCause(d.failure)
        .hasMessageContaining("A failed to start");

    List<String> events = trace.events();
    assertThat(events).doesNotContain("E.onStart", "A.onStarted", "C.onStarted");
    // D's own start rolled back first, then C's, then A's: each in reverse
    assertThat(events.subList(events.indexOf("D.onStart"), events.size()))
        .containsExactly(
            "D.onStart", "D.onStop", "D.onShutdown",
            "C.onStop", "C.onShutdown",
            "A.onStop", "B.onStop", "B.onShutdown", "A.onShutdown");
    assertThat(a.state()).isEqualTo(State.CRASHED);
    assertThat(a.crashReason()).isSameAs(d.failure);
    assertThat(c.crashReason()).isSameAs(d.failure);
    assertThat(d.crashReason()).isSameAs(d.failure);
    assertThat(b.state()).as("a sibling is stopped, not crashed").isEqualTo(State.SHUTDOWN);
    assertThat(e.state()).isEqualTo(State.SHUTDOWN);
  }

  @Test
  void failureInOnFirstStartCrashesWithoutStopCallbacks() {
    RuntimeException boom = new RuntimeException("no config");
    TracingService a =
        new TracingService("A", trace) {
          @Override
          protected void onFirstStart() {
            throw boom;
          }
        };
    assertThatThrownBy(a::start).isInstanceOf(ServiceException.class).hasCause(boom);
    assertThat(a.state()).isEqualTo(State.CRASHED);
    assertThat(trace.events()).doesNotContain("A.onStart", "A.onStop", "A.onShutdown");
  }

  @Test
  void aTaskCrashingDuringStartFailsTheStart() throws Exception {
    // tasks begin once the dependencies run (SPEC §2, revised), so the crash comes during onStarted
    RuntimeException boom = new RuntimeException("task died");
    Service child = new NoOpService("Child");
    Service parent =
        new NoOpService("P") {
          @Task
          void dies() {
            throw boom;
          }

          @Override
          protected void onStarted() {
            // hold the start until its task has crashed it
            org.awaitility.Awaitility.await().until(() -> state() == State.CRASHED);
          }
        };
    parent.addDependency(child);
    assertThatThrownBy(parent::start).isInstanceOf(ServiceException.class).hasCause(boom);
    assertThat(parent.state()).isEqualTo(State.CRASHED);
    assertThat(child.state()).isEqualTo(State.SHUTDOWN);
  }

  @Test
  void stopDuringStartEndsTheStartAtTheNextStepWithoutError() throws Exception {
    CountDownLatch inOnStart = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    TracingService a =
        new TracingService("A", trace) {
          @Override
          protected void onStart() throws Exception {
            super.onStart();
            inOnStart.countDown();
            proceed.await();
          }
        };
    TracingService b = a.addDependency(new TracingService("B", trace));
    Thread starter = Thread.ofVirtual().start(a::start);
    inOnStart.await();
    Thread stopper = Thread.ofVirtual().start(a::stop);
    org.awaitility.Awaitility.await().until(() -> a.state() == State.STOPPING);
    proceed.countDown();
    assertThat(starter.join(Duration.ofSeconds(10))).isTrue();
    assertThat(stopper.join(Duration.ofSeconds(10))).isTrue();
    assertThat(a.state()).isEqualTo(State.SHUTDOWN);
    assertThat(trace.events()).doesNotContain("B.onStart", "A.onStarted");
    assertThat(trace.count("A.onStop")).isEqualTo(1);
    assertThat(trace.count("A.onShutdown")).isEqualTo(1);
    assertThat(b.state()).isEqualTo(State.SHUTDOWN);
  }

  @Test
  void stopCalledFromOnStartStopsWithoutDeadlock() {
    TracingService a =
        new TracingService("A", trace) {
          @Override
          protected void onStart() throws Exception {
            super.onStart();
            stop();
          }
        };
    a.addDependency(new TracingService("B", trace));
    try (LogCapture logs = LogCapture.info()) {
      a.start();
      // regression: the stop's helper thread waited out the stop timeout for the start it was called from
      assertThat(logs.messages()).noneMatch(m -> m.contains("stop timeout"));
    }
    assertThat(a.state()).isEqualTo(State.SHUTDOWN);
    assertThat(trace.events()).containsExactly(
        "A.onInitDependencies", "A.onFirstStart", "A.onStart", "A.onStop", "A.onShutdown");
  }

  @Test
  void concurrentStartsShareOneStart() throws Exception {
    AtomicInteger starts = new AtomicInteger();
    CountDownLatch gate = new CountDownLatch(1);
    Service s =
        new Service() {
          @Override
          protected void onStart() throws Exception {
            starts.incrementAndGet();
            gate.await();
          }
        };
    Thread[] threads = new Thread[8];
    for (int i = 0; i < threads.length; i++) threads[i] = Thread.ofVirtual().start(s::start);
    org.awaitility.Awaitility.await().until(() -> s.state() == State.STARTING);
    gate.countDown();
    for (Thread t : threads) assertThat(t.join(Duration.ofSeconds(10))).isTrue();
    assertThat(starts).hasValue(1);
    assertThat(s.state()).isEqualTo(State.RUNNING);
  }

  @Test
  void startingAStoppedServiceRestartsIt() {
    TracingService a = new TracingService("A", trace);
    a.start();
    a.stop();
    trace.drain();
    a.start();
    assertThat(trace.events()).containsExactly("A.onRestart", "A.onStart", "A.onStarted");
    assertThat(a.restartCount()).isEqualTo(1);
    assertThat(a.state()).isEqualTo(State.RUNNING);
  }

  @Test
  void aDependencyCannotStartWhileItsParentIsStopping() throws Exception {
    CountDownLatch inOnStop = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    NoOpService child = new NoOpService("Child");
    Service parent =
        new NoOpService("Parent") {
          @Override
          protected void onStop() throws Exception {
            inOnStop.countDown();
            release.await();
          }
        };
    parent.addDependency(child);
    parent.start();
    Thread stopper = Thread.ofVirtual().start(parent::stop);
    inOnStop.await();
    child.stop();
    assertThatThrownBy(child::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Parent/Child")
        .hasMessageContaining("is STOPPING");
    release.countDown();
    assertThat(stopper.join(Duration.ofSeconds(10))).isTrue();
    assertThat(child.state()).isEqualTo(State.SHUTDOWN);
  }

  @Test
  void startDurationIsRecorded() {
    Service s = new NoOpService();
    assertThat(s.startDuration()).isEmpty();
    s.start();
    assertThat(s.startDuration()).isPresent();
    assertThat(s.uptime()).isPresent();
    s.stop();
    assertThat(s.stopDuration()).isPresent();
    assertThat(s.uptime()).isEmpty();
  }
}
