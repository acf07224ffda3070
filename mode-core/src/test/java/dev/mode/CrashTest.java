package dev.mode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mode.Fixtures.NoOpService;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** SPEC §4. */
class CrashTest {
  final Trace trace = new Trace();

  @Test
  void anExceptionEscapingATaskCrashesTheServiceAndPropagatesToTheRoot() {
    RuntimeException boom = new RuntimeException("task failed");
    NoOpService root = new NoOpService("Root");
    NoOpService middle = root.addDependency(new NoOpService("Middle"));
    NoOpService sibling = root.addDependency(new NoOpService("Sibling"));
    CountDownLatch go = new CountDownLatch(1);
    Service leaf =
        middle.addDependency(
            new NoOpService("Leaf") {
              @Task
              void work() throws InterruptedException {
                go.await();
                throw boom;
              }
            });
    root.start();
    go.countDown();
    assertThat(root.awaitStopped(Duration.ofSeconds(10))).isTrue();
    assertThat(root.state()).isEqualTo(State.CRASHED);
    assertThat(root.crashReason()).isSameAs(boom);
    assertThat(middle.crashReason()).isSameAs(boom);
    assertThat(leaf.crashReason()).isSameAs(boom);
    assertThat(sibling.state()).as("an unrelated sibling is not marked crashed").isEqualTo(State.RUNNING);
    root.stop();
    assertThat(sibling.state()).isEqualTo(State.SHUTDOWN);
    assertThat(root.state()).as("stop on a crashed service leaves it CRASHED").isEqualTo(State.CRASHED);
  }

  @Test
  void crashSetsShouldStopWakesSleepersAndRunsNoStopStep() throws Exception {
    CountDownLatch sleeping = new CountDownLatch(1);
    AtomicBoolean slept = new AtomicBoolean(true);
    TracingService s =
        new TracingService("S", trace) {
          @Task
          void nap() {
            sleeping.countDown();
            slept.set(sleep(Duration.ofHours(1)));
          }
        };
    s.start();
    sleeping.await();
    RuntimeException reason = new RuntimeException("deliberate");
    s.crash(reason);
    assertThat(s.state()).isEqualTo(State.CRASHED);
    assertThat(s.shouldStop()).isTrue();
    assertThat(s.crashReason()).isSameAs(reason);
    assertThat(s.awaitStopped(Duration.ZERO)).isTrue();
    await().untilFalse(slept);
    assertThat(trace.events()).doesNotContain("S.onStop", "S.onShutdown");
    s.stop();
    assertThat(trace.events()).containsSubsequence("S.onStop", "S.onShutdown");
    assertThat(s.state()).isEqualTo(State.CRASHED);
  }

  @Test
  void crashingAnAlreadyCrashedServiceChangesNothing() {
    Service s = new NoOpService();
    s.start();
    RuntimeException first = new RuntimeException("first");
    try (LogCapture logs = LogCapture.info()) {
      s.crash(first);
      s.crash(new RuntimeException("second"));
      assertThat(s.crashReason()).isSameAs(first);
      assertThat(logs.messages().stream().filter(m -> m.contains("Crashed reason="))).hasSize(1);
    }
    s.stop();
  }

  @Test
  void restartResetsACrashedService() {
    TracingService s = new TracingService("S", trace);
    s.start();
    s.crash(new RuntimeException("x"));
    s.restart();
    assertThat(s.state()).isEqualTo(State.RUNNING);
    assertThat(s.crashReason()).isNull();
    assertThat(s.shouldStop()).isFalse();
    assertThat(s.restartCount()).isEqualTo(1);
    assertThat(trace.count("S.onStop")).isEqualTo(1);
    s.stop();
  }

  @Test
  void restartThrowsIfTheServiceIsCrashedBetweenItsResetAndItsStart() {
    RuntimeException reason = new RuntimeException("crashed in onRestart's window");
    Service s =
        new NoOpService() {
          @Override
          protected void onRestart() {
            crash(reason); // e.g. a supervisor or a listener crashes it while it is reset
          }
        };
    s.start();
    org.assertj.core.api.Assertions.assertThatThrownBy(s::restart)
        .isInstanceOf(ServiceException.class)
        .hasCause(reason);
    assertThat(s.state()).isEqualTo(State.CRASHED);
    s.stop();
  }

  @Test
  void anInterruptedExceptionWhileStoppingIsANormalEnd() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    Service s =
        new NoOpService() {
          @Task
          void waits() throws InterruptedException {
            running.countDown();
            new CountDownLatch(1).await();
          }

          @Task
          void returnsWithFlagSet() {
            while (!Thread.currentThread().isInterrupted()) Thread.onSpinWait();
          }
        };
    s.start();
    running.await();
    s.stop();
    assertThat(s.state()).isEqualTo(State.SHUTDOWN);
    assertThat(s.crashReason()).isNull();
  }

  @Test
  void anInterruptedExceptionWhileRunningIsACrash() throws Exception {
    Service s =
        new NoOpService() {
          @Task
          void interruptsItself() throws InterruptedException {
            await().until(() -> state() == State.RUNNING);
            throw new InterruptedException("not from a stop");
          }
        };
    s.start();
    assertThat(s.awaitStopped(Duration.ofSeconds(10))).isTrue();
    assertThat(s.crashReason()).isInstanceOf(InterruptedException.class);
    s.stop();
  }

  @Test
  void theParentHearsOfTheCrashAtOnceThroughOnDependencyCrashed() throws Exception {
    CountDownLatch heard = new CountDownLatch(1);
    Service[] who = new Service[1];
    Service parent =
        new NoOpService("Parent") {
          @Override
          protected void onDependencyCrashed(Service dependency, Throwable reason) {
            who[0] = dependency;
            heard.countDown(); // handled: not propagated
          }
        };
    NoOpService child = parent.addDependency(new NoOpService("Child"));
    parent.start();
    child.crash(new RuntimeException("x"));
    assertThat(heard.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(who[0]).isSameAs(child);
    assertThat(parent.state()).isEqualTo(State.RUNNING);
    parent.stop();
  }

  @Test
  void theCrashIsLoggedOnceAtErrorWithItsStack() {
    Service s = new NoOpService("Logged");
    s.start();
    try (LogCapture logs = LogCapture.info()) {
      s.crash(new IllegalStateException("bad state"));
      assertThat(logs.events())
          .filteredOn(e -> e.getFormattedMessage().contains("Crashed reason="))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.getLevel().toString()).isEqualTo("ERROR");
                assertThat(e.getFormattedMessage())
                    .isEqualTo("[^Logged]: Crashed reason=java.lang.IllegalStateException: bad state");
                assertThat(e.getThrowableProxy().getMessage()).isEqualTo("bad state");
              });
    }
    s.stop();
  }
}
