package dev.mode.confined;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mode.State;
import dev.mode.time.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SPEC §8: a service whose code runs on one dedicated platform thread, with call and cast. */
class ConfinedServiceTest {
  static final class Recorder extends ConfinedService {
    final Map<String, Thread> threads = new ConcurrentHashMap<>();
    final List<String> order = new CopyOnWriteArrayList<>();

    private void record(String what) {
      threads.put(what, Thread.currentThread());
      order.add(what);
    }

    @Override
    protected void onConfinedFirstStart() {
      record("firstStart");
    }

    @Override
    protected void onConfinedStart() {
      record("start");
    }

    @Override
    protected void onConfinedStarted() {
      record("started");
    }

    @Override
    protected void onConfinedStop() {
      record("stop");
    }

    @Override
    protected void onConfinedShutdown() {
      record("shutdown");
    }

    @Override
    protected void onConfinedRestart() {
      record("restart");
    }
  }

  final Recorder service = new Recorder();

  @AfterEach
  void stop() {
    service.stop();
  }

  @Test
  void callbacksCallsAndCastsAllRunOnOneDedicatedPlatformThread() throws Exception {
    service.start();
    Thread fromCall = service.call(Thread::currentThread);
    CountDownLatch cast = new CountDownLatch(1);
    Thread[] fromCast = new Thread[1];
    service.cast(() -> {
      fromCast[0] = Thread.currentThread();
      cast.countDown();
    });
    assertThat(cast.await(10, TimeUnit.SECONDS)).isTrue();
    service.stop();

    assertThat(fromCall.isVirtual()).isFalse();
    assertThat(fromCall.getName()).isEqualTo("Recorder:confined");
    assertThat(fromCast[0]).isSameAs(fromCall);
    assertThat(service.threads.values()).allMatch(t -> t == fromCall);
    assertThat(service.order).containsExactly("firstStart", "start", "started", "stop", "shutdown");
    assertThat(fromCall.isAlive()).as("the thread ends with the stop").isFalse();
  }

  @Test
  void callReturnsTheResultOrRethrowsTheBodysException() throws Exception {
    service.start();
    assertThat(service.call(() -> 6 * 7)).isEqualTo(42);
    IOException failure = new IOException("disk gone");
    assertThatThrownBy(() -> service.call(() -> {
      throw failure;
    })).isSameAs(failure);
    assertThat(service.state()).as("a failed call does not crash the service").isEqualTo(State.RUNNING);
  }

  @Test
  void castsFromManyThreadsRunOneAtATimeInSubmissionOrderPerThread() throws Exception {
    service.start();
    List<String> seen = new ArrayList<>(); // touched only on the confined thread
    List<Thread> senders = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int id = t;
      senders.add(Thread.ofVirtual().start(() -> {
        for (int i = 0; i < 100; i++) {
          int n = i;
          service.cast(() -> seen.add(id + ":" + n));
        }
      }));
    }
    for (Thread t : senders) t.join();
    List<String> result = service.call(() -> List.copyOf(seen));
    assertThat(result).hasSize(400);
    for (int t = 0; t < 4; t++) {
      String prefix = t + ":";
      List<String> mine = result.stream().filter(s -> s.startsWith(prefix)).toList();
      assertThat(mine).as("thread %d's casts in order", t).isSortedAccordingTo(
          (a, b) -> Integer.compare(Integer.parseInt(a.substring(2)), Integer.parseInt(b.substring(2))));
    }
  }

  @Test
  void aCallFromTheConfinedThreadRunsAtOnceInsteadOfDeadlocking() throws Exception {
    service.start();
    assertThat(service.call(() -> service.call(() -> "nested"))).isEqualTo("nested");
    assertThat(service.call(service::onConfinedThread)).isTrue();
    assertThat(service.onConfinedThread()).isFalse();
  }

  @Test
  void stopDrainsQueuedWorkThenRejectsNewWork() throws Exception {
    service.start();
    CountDownLatch release = new CountDownLatch(1);
    List<Integer> ran = new CopyOnWriteArrayList<>();
    service.cast(release::await);
    for (int i = 0; i < 10; i++) {
      int n = i;
      service.cast(() -> ran.add(n));
    }
    Thread stopper = Thread.ofVirtual().start(service::stop);
    await().atMost(Duration.ofSeconds(10)).until(() -> service.state() == State.STOPPING);
    release.countDown();
    stopper.join();
    assertThat(ran).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(service.order).endsWith("stop", "shutdown");
    assertThatThrownBy(() -> service.cast(() -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Cannot cast on Recorder: it is SHUTDOWN");
    assertThatThrownBy(() -> service.call(() -> 1)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void workBeforeTheFirstStartIsRejected() {
    assertThatThrownBy(() -> service.call(() -> 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("it is INIT");
  }

  @Test
  void aRestartRunsTheConfinedCallbacksOnANewThread() throws Exception {
    service.start();
    Thread first = service.call(Thread::currentThread);
    service.order.clear();
    service.restart();
    Thread second = service.call(Thread::currentThread);
    assertThat(second).isNotSameAs(first);
    assertThat(first.isAlive()).isFalse();
    assertThat(service.order).containsExactly("stop", "shutdown", "restart", "start", "started");
    assertThat(service.threads.get("restart")).isSameAs(second);
  }

  @Test
  void confinedTimersAndTasksRunOnTheConfinedThread() throws Exception {
    ManualClock clock = new ManualClock();
    service.setClock(clock);
    List<Thread> timerRuns = new CopyOnWriteArrayList<>();
    CountDownLatch taskRan = new CountDownLatch(1);
    Thread[] taskThread = new Thread[1];
    service.addConfinedTimer("tick", Duration.ofSeconds(1), () -> timerRuns.add(Thread.currentThread()));
    service.addConfinedTask("once", () -> {
      taskThread[0] = Thread.currentThread();
      taskRan.countDown();
    });
    service.start();
    Thread confined = service.call(Thread::currentThread);
    assertThat(taskRan.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(clock.awaitScheduled(1, Duration.ofSeconds(10))).isTrue();
    clock.advance(Duration.ofSeconds(1));
    await().atMost(Duration.ofSeconds(10)).until(() -> timerRuns.size() == 1);
    assertThat(timerRuns).containsExactly(confined);
    assertThat(taskThread[0]).isSameAs(confined);
  }

  @Test
  void stopInterruptsALongConfinedTask() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    service.addConfinedTask("forever", () -> {
      started.countDown();
      Thread.sleep(Long.MAX_VALUE);
    });
    service.start();
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    service.stop();
    assertThat(service.state()).isEqualTo(State.SHUTDOWN);
    assertThat(service.order).endsWith("stop", "shutdown");
  }
}
