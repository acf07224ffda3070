package dev.mode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mode.Fixtures.NoOpService;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** SPEC §1 addTask, @Task. */
class TaskTest {

  static class Base extends Service {
    final List<String> ran = new CopyOnWriteArrayList<>();
    final CountDownLatch all = new CountDownLatch(4);

    @Task
    void zeta() {
      ran.add("Base.zeta");
      all.countDown();
    }

    @Task
    void alpha() {
      ran.add("Base.alpha");
      all.countDown();
    }
  }

  static class Derived extends Base {
    @Task
    void beta() {
      ran.add("Derived.beta");
      all.countDown();
    }

    @Task
    void aardvark() {
      ran.add("Derived.aardvark");
      all.countDown();
    }
  }

  @Test
  void tasksAreDeclaredSuperclassFirstThenByMethodName() throws Exception {
    Derived d = new Derived();
    List<JobSpec> specs = ClassModel.of(Derived.class).jobs;
    assertThat(specs).extracting(s -> s.name).containsExactly("alpha", "zeta", "aardvark", "beta");
    d.start();
    assertThat(d.all.await(10, TimeUnit.SECONDS)).isTrue();
    d.stop();
  }

  @Test
  void aTaskRunsOnAVirtualThreadNamedForItsPathWithThePathInTheMdc() throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    String[] seen = new String[3];
    NoOpService root = new NoOpService("App");
    root.addDependency(
        new NoOpService("Cache") {
          @Task
          void warm() {
            Thread t = Thread.currentThread();
            seen[0] = t.getName();
            seen[1] = String.valueOf(t.isVirtual());
            seen[2] = MDC.get(Service.MDC_KEY);
            done.countDown();
          }
        });
    root.start();
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(seen).containsExactly("App/Cache:warm", "true", "App/Cache");
    assertThat(Service.current()).isEmpty();
    root.stop();
  }

  static class PrivateMethods extends Service {
    final CountDownLatch ran = new CountDownLatch(1);

    @Task
    private void hidden() {
      ran.countDown();
    }
  }

  @Test
  void annotatedMethodsMayHaveAnyVisibility() throws Exception {
    PrivateMethods s = new PrivateMethods();
    s.start();
    assertThat(s.ran.await(10, TimeUnit.SECONDS)).isTrue();
    s.stop();
  }

  static class WithParameter extends Service {
    @Task
    void needs(String arg) {}
  }

  @Test
  void anAnnotatedMethodWithParametersIsRejectedAtConstruction() {
    assertThatThrownBy(WithParameter::new)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("WithParameter.needs()")
        .hasMessageContaining("instance methods with no parameters");
  }

  @Test
  void addTaskRunsNowOnARunningService() throws Exception {
    Service s = new NoOpService();
    s.start();
    CountDownLatch ran = new CountDownLatch(1);
    Future<?> f = s.addTask("now", ran::countDown);
    assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    f.get(10, TimeUnit.SECONDS);
    assertThat(f.isDone()).isTrue();
    s.stop();
  }

  @Test
  void addTaskBeforeStartRunsWhenTheServiceStartsRightAfterOnStart() throws Exception {
    List<String> order = new CopyOnWriteArrayList<>();
    CountDownLatch ran = new CountDownLatch(1);
    Service s =
        new NoOpService() {
          @Override
          protected void onStart() {
            order.add("onStart");
          }
        };
    s.addTask(
        "queued",
        () -> {
          order.add("task");
          ran.countDown();
        });
    assertThat(s.tasks()).singleElement().satisfies(t -> assertThat(t.thread()).isEmpty());
    s.start();
    assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(order).containsExactly("onStart", "task");
    s.stop();
  }

  @Test
  void addTaskOnAStoppingOrStoppedServiceIsRejected() {
    Service s = new NoOpService("Done");
    s.start();
    s.stop();
    assertThatThrownBy(() -> s.addTask("late", () -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Cannot add task late to Done: it is SHUTDOWN");
  }

  @Test
  void cancellingATaskFutureInterruptsItAndIsNotACrash() throws Exception {
    Service s = new NoOpService();
    s.start();
    CountDownLatch running = new CountDownLatch(1);
    Future<?> f =
        s.addTask(
            "cancellable",
            () -> {
              running.countDown();
              new CountDownLatch(1).await();
            });
    running.await();
    f.cancel(true);
    await().until(() -> s.tasks().isEmpty());
    assertThat(s.state()).isEqualTo(State.RUNNING);
    s.stop();
  }

  @Test
  void tasksListsRunningTasksWithTheirThreads() throws Exception {
    Fixtures.BlockingTaskService s = new Fixtures.BlockingTaskService("S");
    s.start();
    s.running.await();
    assertThat(s.tasks())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.name()).isEqualTo("block");
              assertThat(t.kind()).isEqualTo("task");
              assertThat(t.thread()).get().matches(Thread::isAlive);
            });
    s.stop();
    assertThat(s.tasks()).isEmpty();
  }

  @Test
  void nullArgumentsAreRejectedWithTheirName() {
    Service s = new NoOpService();
    assertThatThrownBy(() -> s.addTask(null, () -> {})).isInstanceOf(NullPointerException.class).hasMessage("name");
    assertThatThrownBy(() -> s.addTask("x", null)).isInstanceOf(NullPointerException.class).hasMessage("body");
    assertThatThrownBy(() -> s.addDependency(null)).isInstanceOf(NullPointerException.class).hasMessage("dependency");
    assertThatThrownBy(() -> s.addCloseable(null)).isInstanceOf(NullPointerException.class).hasMessage("resource");
    assertThatThrownBy(() -> s.sleep(null)).isInstanceOf(NullPointerException.class).hasMessage("duration");
    assertThatThrownBy(() -> s.crash(null)).isInstanceOf(NullPointerException.class).hasMessage("reason");
    assertThatThrownBy(() -> s.setStopTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT-1S");
  }

  @Test
  void sleepReturnsTrueWhenTheFullTimePassedAndKeepsTheInterruptFlag() throws Exception {
    Service s = new NoOpService();
    assertThat(s.sleep(Duration.ofMillis(1))).isTrue();
    Thread.currentThread().interrupt();
    assertThat(s.sleep(Duration.ofSeconds(10))).isFalse();
    assertThat(Thread.interrupted()).as("interrupt flag kept").isTrue();
  }
}
