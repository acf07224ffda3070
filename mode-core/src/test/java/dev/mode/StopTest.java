package dev.mode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mode.Fixtures.BlockingTaskService;
import dev.mode.Fixtures.NoOpService;
import dev.mode.Fixtures.StubbornTaskService;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** SPEC §1 stop()/close() and §3. */
class StopTest {
  final Trace trace = new Trace();

  @Test
  void stopIsIdempotentAndCallsEachStopCallbackOnce() {
    TracingService a = new TracingService("A", trace);
    a.start();
    a.stop();
    a.stop();
    a.close();
    assertThat(trace.count("A.onStop")).isEqualTo(1);
    assertThat(trace.count("A.onShutdown")).isEqualTo(1);
    assertThat(a.state()).isEqualTo(State.SHUTDOWN);
  }

  @Test
  void stopOnANeverStartedServiceMovesItToShutdownWithoutCallbacks() {
    TracingService a = new TracingService("A", trace);
    a.stop();
    assertThat(a.state()).isEqualTo(State.SHUTDOWN);
    assertThat(trace.events()).isEmpty();
    assertThat(a.shouldStop()).isTrue();
  }

  @Test
  void shouldStopIsTrueFromTheFirstStopStepAndSleepersWake() throws Exception {
    CountDownLatch sleeping = new CountDownLatch(1);
    boolean[] slept = new boolean[1];
    boolean[] shouldStopInOnStop = new boolean[1];
    Service s =
        new NoOpService() {
          @Task
          void nap() {
            sleeping.countDown();
            slept[0] = sleep(Duration.ofHours(1));
          }

          @Override
          protected void onStop() {
            shouldStopInOnStop[0] = shouldStop();
          }
        };
    s.start();
    sleeping.await();
    s.stop();
    assertThat(shouldStopInOnStop[0]).isTrue();
    assertThat(slept[0]).as("sleep returns false when woken by stop").isFalse();
  }

  @Test
  void stopInterruptsTasksAndClosesResourcesInReverseBeforeOnShutdown() throws Exception {
    List<String> order = new CopyOnWriteArrayList<>();
    BlockingTaskService s =
        new BlockingTaskService("S") {
          @Override
          protected void onShutdown() {
            order.add("onShutdown");
          }
        };
    s.addCloseable(() -> order.add("first added"));
    s.addCloseable(() -> order.add("second added"));
    s.start();
    s.running.await();
    s.addCloseable(
        () -> order.add("added while running, task interrupted=" + s.interrupted));
    s.stop();
    assertThat(order)
        .containsExactly(
            "added while running, task interrupted=true", "second added", "first added", "onShutdown");
  }

  @Test
  void aFailingCallbackOrCloseableIsLoggedAndTheStopGoesOn() {
    TracingService a =
        new TracingService("A", trace) {
          @Override
          protected void onStop() throws Exception {
            super.onStop();
            throw new IllegalStateException("onStop broke");
          }
        };
    TracingService b = a.addDependency(new TracingService("B", trace));
    a.addCloseable(() -> trace.add("closed 1"));
    a.addCloseable(
        () -> {
          throw new java.io.IOException("close broke");
        });
    a.start();
    try (LogCapture logs = LogCapture.info()) {
      a.stop();
      assertThat(logs.messages())
          .anyMatch(m -> m.contains("onStop failed; the stop goes on"))
          .anyMatch(m -> m.contains("Closing") && m.contains("failed; the stop goes on"));
    }
    assertThat(trace.events()).containsSubsequence("A.onStop", "B.onShutdown", "closed 1", "A.onShutdown");
    assertThat(a.state()).isEqualTo(State.SHUTDOWN);
    assertThat(b.state()).isEqualTo(State.SHUTDOWN);
  }

  @Test
  void aTaskThatIgnoresInterruptsIsLoggedAndAbandonedAfterTheStopTimeout() throws Exception {
    StubbornTaskService s = new StubbornTaskService("Stubborn");
    s.setStopTimeout(Duration.ofMillis(200));
    s.start();
    s.running.await();
    try (LogCapture logs = LogCapture.info()) {
      s.stop();
      assertThat(s.state()).isEqualTo(State.SHUTDOWN);
      assertThat(logs.events())
          .anySatisfy(
              e -> {
                assertThat(e.getFormattedMessage())
                    .contains("did not end within the stop timeout (200ms)")
                    .contains("Stubborn:ignoreInterrupts");
                assertThat(e.getThrowableProxy().getStackTraceElementProxyArray())
                    .as("the stuck task's current stack is logged")
                    .anySatisfy(f -> assertThat(f.getSTEAsString()).contains("ignoreInterrupts"));
              });
    } finally {
      s.release.countDown();
    }
  }

  @Test
  void stopFromTheServicesOwnTaskDoesNotDeadlock() throws Exception {
    CountDownLatch stopped = new CountDownLatch(1);
    TracingService a =
        new TracingService("A", trace) {
          @Task
          void selfStop() {
            stop();
            stopped.countDown();
          }
        };
    TracingService b = a.addDependency(new TracingService("B", trace));
    a.start();
    assertThat(stopped.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(a.state()).isEqualTo(State.SHUTDOWN);
    assertThat(b.state()).isEqualTo(State.SHUTDOWN);
  }

  @Test
  void stopOfTheParentFromAChildsTaskDoesNotDeadlock() throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    Service parent = new NoOpService("Parent");
    parent.addDependency(
        new NoOpService("Child") {
          @Task
          void stopsParent() {
            parent.stop();
            done.countDown();
          }
        });
    parent.start();
    assertThat(done.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(parent.state()).isEqualTo(State.SHUTDOWN);
  }

  @Test
  void concurrentStopsAllReturnAfterTheStopCompletes() throws Exception {
    CountDownLatch inOnStop = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Service s =
        new NoOpService() {
          @Override
          protected void onStop() throws Exception {
            inOnStop.countDown();
            release.await();
          }
        };
    s.start();
    Thread first = Thread.ofVirtual().start(s::stop);
    inOnStop.await();
    List<State> seenOnReturn = new CopyOnWriteArrayList<>();
    Thread second =
        Thread.ofVirtual()
            .start(
                () -> {
                  s.stop();
                  seenOnReturn.add(s.state());
                });
    // the second stop waits for the first (through its own stop helper, so possibly timed)
    await().until(() -> second.getState() == Thread.State.WAITING || second.getState() == Thread.State.TIMED_WAITING);
    assertThat(seenOnReturn).isEmpty();
    release.countDown();
    assertThat(first.join(Duration.ofSeconds(10))).isTrue();
    assertThat(second.join(Duration.ofSeconds(10))).isTrue();
    assertThat(seenOnReturn).containsExactly(State.SHUTDOWN);
  }

  @Test
  void noThreadOfAStoppedServiceIsLeftAlive() throws Exception {
    BlockingTaskService s = new BlockingTaskService("S");
    s.addTimer("tick", Duration.ofMillis(1), () -> {});
    s.start();
    s.running.await();
    List<Thread> threads = s.threads();
    assertThat(threads).isNotEmpty().allMatch(Thread::isVirtual);
    s.stop();
    assertThat(threads).noneMatch(Thread::isAlive);
    assertThat(s.threads()).isEmpty();
  }

  @Test
  void awaitStoppedReturnsWhenTheServiceStops() throws Exception {
    Service s = new NoOpService();
    s.start();
    assertThat(s.awaitStopped(Duration.ofMillis(10))).isFalse();
    Thread.ofVirtual().start(s::stop);
    assertThat(s.awaitStopped(Duration.ofSeconds(10))).isTrue();
    assertThat(s.awaitStopped(Duration.ZERO)).as("already stopped").isTrue();
  }

  @Test
  void aRunningDependencyAddedAfterTheDependenciesStepStopsBeforeOnShutdown() {
    NoOpService detached = new NoOpService("detached");
    detached.start(); // started on its own, before it has a parent
    List<String> seenAtShutdown = new CopyOnWriteArrayList<>();
    Service parent =
        new Service() {
          @Override
          protected void onShutdown() {
            seenAtShutdown.add("dependency " + detached.state());
          }
        };
    parent.start();
    // the parent's close step comes after its dependencies' step: the dependency joins it then
    parent.addCloseable(() -> parent.addDependency(detached));
    parent.stop();
    assertThat(seenAtShutdown).containsExactly("dependency SHUTDOWN");
    assertThat(detached.state()).isEqualTo(State.SHUTDOWN);
  }
}
