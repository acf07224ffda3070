package dev.mode.test;

import dev.mode.Service;
import dev.mode.Task;
import dev.mode.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** Tiny services named for what they do. */
final class Fixtures {
  private Fixtures() {}

  /** Counts the runs of its 1 s timer; fails the runs listed (counted across restarts, from 1). */
  static class Ticker extends Service {
    final AtomicInteger runs = new AtomicInteger();
    final Set<Integer> failOn;

    Ticker(Integer... failOn) {
      this.failOn = Set.of(failOn);
    }

    @Timer("1s")
    void tick() {
      int n = runs.incrementAndGet();
      if (failOn.contains(n)) throw new IllegalStateException("tick " + n + " failed");
    }
  }

  /** A fast timer for tests on the system clock. */
  static class FastTicker extends Service {
    final AtomicInteger runs = new AtomicInteger();

    @Timer("20ms")
    void tick() {
      runs.incrementAndGet();
    }
  }

  /** Records its stop in a shared list. */
  static class Recorder extends Service {
    final String name;
    final List<String> stops;

    Recorder(String name, List<String> stops) {
      this.name = name;
      this.stops = stops;
    }

    @Override
    protected void onShutdown() {
      stops.add(name);
    }

    @Override
    public String label() {
      return name;
    }
  }

  /** A task that ignores interrupts until released: its thread outlives the stop. */
  static class Stubborn extends Service {
    static final CountDownLatch RELEASE = new CountDownLatch(1);
    final CountDownLatch holding = new CountDownLatch(1);

    Stubborn() {
      setStopTimeout(Duration.ofMillis(50));
    }

    @Task
    void hold() {
      holding.countDown();
      for (;;) {
        try {
          RELEASE.await();
          return;
        } catch (InterruptedException e) {
          // ignores the stop on purpose
        }
      }
    }
  }

  /** A task blocked on a latch the test holds. */
  static class Waiter extends Service {
    final CountDownLatch latch = new CountDownLatch(1);

    @Task
    void waitForTheLatch() throws InterruptedException {
      latch.await();
      while (!shouldStop()) sleep(Duration.ofHours(1));
    }
  }

  static List<String> newLog() {
    return new CopyOnWriteArrayList<>();
  }
}
