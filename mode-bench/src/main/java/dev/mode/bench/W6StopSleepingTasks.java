package dev.mode.bench;

import dev.mode.Service;
import dev.mode.Task;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * W6: stop of a tree whose every service has one {@code @Task} asleep. In the harness JVM, a tree of
 * N services (fan-out 10) is started; once every task has begun its sleep, {@code root.stop()} is
 * timed from the call to its return. Two subjects: tasks asleep in {@link Service#sleep(Duration)}
 * (woken by stop) and tasks asleep in {@link Thread#sleep(long)} (ended only by the interrupt that
 * stop sends). Each round builds a fresh tree; one unmeasured round comes first, so that the figure
 * is the warm stop cost, not class loading.
 */
final class W6StopSleepingTasks implements Workload {
  static final String ID = "W6";
  static final String SERVICE_SLEEP = "Mode, @Task in Service.sleep";
  static final String THREAD_SLEEP = "Mode, @Task in Thread.sleep";
  static final String MEDIAN = "root.stop() ms (median / best)";
  static final Duration LONG = Duration.ofHours(1);

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String title() {
    return "stop of N services, each with a task that sleeps";
  }

  /** A service whose one task sleeps far longer than any run, with {@link Service#sleep}. */
  static final class ServiceSleeper extends Service {
    final CountDownLatch asleep;

    ServiceSleeper(CountDownLatch asleep) {
      this.asleep = asleep;
    }

    @Task
    void idle() {
      asleep.countDown();
      sleep(LONG);
    }
  }

  /** A service whose one task sleeps with {@link Thread#sleep}; stop's interrupt ends it. */
  static final class ThreadSleeper extends Service {
    final CountDownLatch asleep;

    ThreadSleeper(CountDownLatch asleep) {
      this.asleep = asleep;
    }

    @Task
    void idle() throws InterruptedException {
      asleep.countDown();
      Thread.sleep(LONG.toMillis());
    }
  }

  @Override
  public void run(BenchConfig config, Results results) throws Exception {
    int n = config.w6Services();
    int rounds = config.w6Rounds();
    measure(results, SERVICE_SLEEP, n, rounds, false);
    measure(results, THREAD_SLEEP, n, rounds, true);
  }

  private static void measure(Results results, String subject, int n, int rounds, boolean threadSleep)
      throws InterruptedException {
    stopMillis(n, threadSleep); // warm-up round, not measured
    double[] ms = new double[rounds];
    for (int r = 0; r < rounds; r++) ms[r] = stopMillis(n, threadSleep);
    double median = Stats.median(ms);
    results.add(
        ID, subject, n, MEDIAN,
        Results.format(median) + " / " + Results.format(Stats.best(ms)) + " (" + rounds + " rounds)",
        median, "<= 50 ms");
  }

  /**
   * Builds and starts a tree of {@code n} sleepers, waits until every task is asleep, and returns how
   * long {@code root.stop()} took, in milliseconds.
   */
  static double stopMillis(int n, boolean threadSleep) throws InterruptedException {
    CountDownLatch asleep = new CountDownLatch(n);
    Service root =
        ServiceTree.build(n, i -> threadSleep ? new ThreadSleeper(asleep) : new ServiceSleeper(asleep));
    root.start();
    if (!asleep.await(60, TimeUnit.SECONDS)) {
      root.stop();
      throw new IllegalStateException(
          "W6: only " + (n - asleep.getCount()) + " of " + n + " tasks had begun within 60 s of start");
    }
    long t0 = System.nanoTime();
    root.stop();
    return Stats.millis(System.nanoTime() - t0);
  }
}
