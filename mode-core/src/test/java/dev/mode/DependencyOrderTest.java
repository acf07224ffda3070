package dev.mode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mode.Fixtures.NoOpService;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** SPEC §2/§3 (revised 2026-12-01): a service's tasks and timers run only while its dependencies run. */
class DependencyOrderTest {

  /** A dependency whose start takes a while, so a task begun too early sees it STARTING. */
  static final class SlowStore extends NoOpService {
    final CountDownLatch seen = new CountDownLatch(1);

    SlowStore() {
      super("Store");
    }

    @Override
    protected void onStart() throws Exception {
      seen.await(300, TimeUnit.MILLISECONDS); // released early only if the parent's job ran already
    }
  }

  @Test
  void anExecFirstTimerOfTheParentSeesItsDependencyRunning() throws Exception {
    // regression: an execFirst timer ran before its dependency started ("store is not open")
    AtomicReference<State> atFirstRun = new AtomicReference<>();
    CountDownLatch ran = new CountDownLatch(1);
    Service app =
        new NoOpService("App") {
          final SlowStore store = addDependency(new SlowStore());

          @Timer(value = "1h", execFirst = true)
          void useStore() {
            atFirstRun.compareAndSet(null, store.state());
            store.seen.countDown();
            ran.countDown();
          }
        };
    app.start();
    try {
      assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(atFirstRun.get()).isEqualTo(State.RUNNING);
    } finally {
      app.stop();
    }
  }

  @Test
  void aTaskOfTheParentBeginsOnlyAfterItsDependenciesAreRunning() throws Exception {
    AtomicReference<State> atBegin = new AtomicReference<>();
    CountDownLatch began = new CountDownLatch(1);
    SlowStore store = new SlowStore();
    Service app = new NoOpService("App");
    app.addDependency(store);
    app.addTask(
        "use",
        () -> {
          atBegin.set(store.state());
          store.seen.countDown();
          began.countDown();
        });
    app.start();
    try {
      assertThat(began.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(atBegin.get()).isEqualTo(State.RUNNING);
    } finally {
      app.stop();
    }
  }

  @Test
  void aTaskAddedFromOnStartStillRunsAtOnceBeforeTheDependenciesStart() throws Exception {
    AtomicReference<State> atBegin = new AtomicReference<>();
    CountDownLatch began = new CountDownLatch(1);
    NoOpService dep = new NoOpService("Dep");
    Service app =
        new NoOpService("App") {
          @Override
          protected void onStart() throws Exception {
            addTask(
                "early",
                () -> {
                  atBegin.set(dep.state());
                  began.countDown();
                });
            assertThat(began.await(10, TimeUnit.SECONDS)).isTrue();
          }
        };
    app.addDependency(dep);
    app.start();
    app.stop();
    assertThat(atBegin.get()).isEqualTo(State.INIT);
  }

  @Test
  void theParentsTaskEndsBeforeItsDependencyStops() throws Exception {
    // regression: a parent's @Task kept running after its dependency was SHUTDOWN
    AtomicReference<State> atEnd = new AtomicReference<>();
    CountDownLatch running = new CountDownLatch(1);
    NoOpService store = new NoOpService("Store");
    Service app =
        new NoOpService("App") {
          @Task
          void serve() {
            running.countDown();
            try {
              Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
              atEnd.set(store.state());
            }
          }
        };
    app.addDependency(store);
    app.start();
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    app.stop();
    assertThat(atEnd.get()).isEqualTo(State.RUNNING);
    assertThat(store.state()).isEqualTo(State.SHUTDOWN);
  }

  @Test
  void aTimerDoesNotFireAfterItsDependencyStopped() throws Exception {
    AtomicReference<State> bad = new AtomicReference<>();
    NoOpService store = new NoOpService("Store");
    Service app = new NoOpService("App");
    app.addDependency(store);
    app.addTimer(
        "poll",
        Duration.ofMillis(1),
        () -> {
          State s = store.state();
          if (s != State.RUNNING) bad.compareAndSet(null, s);
        });
    for (int i = 0; i < 50; i++) {
      app.start();
      app.stop();
    }
    assertThat(bad.get()).as("state of the dependency seen by a timer run").isNull();
  }
}
