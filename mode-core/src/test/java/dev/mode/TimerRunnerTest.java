package dev.mode;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Timer runs share pooled runner threads ({@link Runners}); what a user must still see is what a
 * thread per run gave: a blocking body delays no other timer, each run sees its own service, name
 * and a clear interrupt flag.
 */
class TimerRunnerTest {

  @Test
  void aTimerBodyThatBlocksDoesNotDelayOtherTimers() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch blocked = new CountDownLatch(1);
    CountDownLatch others = new CountDownLatch(50);
    Service root = new Service() {};
    Service blocker = root.addDependency(new Service() {});
    blocker.addTimer(
        "block",
        Duration.ofMillis(1),
        () -> {
          blocked.countDown();
          release.await();
        });
    for (int i = 0; i < 5; i++) {
      Service s = root.addDependency(new Service() {});
      s.addTimer("tick", Duration.ofMillis(1), others::countDown);
    }
    root.start();
    try {
      assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(others.await(10, TimeUnit.SECONDS)).as("other timers ran while one body blocked").isTrue();
    } finally {
      release.countDown();
      root.stop();
    }
  }

  @Test
  void eachRunSeesItsOwnServiceAndThreadNameAndNoInterruptFromAnEarlierRun() throws InterruptedException {
    Service root = new Service() {};
    ConcurrentHashMap<String, String> wrong = new ConcurrentHashMap<>();
    AtomicBoolean interruptedOnEntry = new AtomicBoolean();
    CountDownLatch runs = new CountDownLatch(200);
    for (int i = 0; i < 4; i++) {
      String name = "t" + i;
      Service s = root.addDependency(new Service() {
        @Override
        public String label() {
          return "s" + name;
        }
      });
      s.addTimer(
          name,
          Duration.ofMillis(1),
          () -> {
            if (Thread.currentThread().isInterrupted()) interruptedOnEntry.set(true);
            if (Service.current().orElse(null) != s) wrong.put(name, "current service");
            if (!Thread.currentThread().getName().equals(s.path())) {
              wrong.put(name, "thread name " + Thread.currentThread().getName());
            }
            // leave the flag set, as a body that swallowed an interrupt would: the next run on this
            // thread must not see it
            Thread.currentThread().interrupt();
            runs.countDown();
          });
    }
    root.start();
    try {
      assertThat(runs.await(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      root.stop();
    }
    assertThat(wrong).isEmpty();
    assertThat(interruptedOnEntry).as("a run began with the interrupt flag of an earlier run").isFalse();
  }
}
