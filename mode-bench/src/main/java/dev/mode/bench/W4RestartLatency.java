package dev.mode.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.mode.Service;
import dev.mode.State;
import dev.mode.Task;
import dev.mode.supervisor.OneForOneSupervisor;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * W4: restart latency. A {@link OneForOneSupervisor} (a restart limit it never reaches) supervises
 * one service with a task that waits, like a consumer loop; the harness calls {@code crash()} on it
 * and times until a {@link Service.Listener} on the supervisor hears the service become RUNNING
 * again (the listener runs on the thread that made the change, so nothing is added between the
 * change and the timestamp). The next crash is sent as soon as the latch for RUNNING opens.
 *
 * <p>Warm-up crashes run on a first supervisor, which is then stopped; the measured crashes are the
 * first C crashes of a fresh supervisor and service, so the very first crash, sent as soon as {@code
 * supervisor.start()} returns, is among them; it is reported on its own too. Logging is off while it
 * runs: each crash logs an ERROR with its stack trace, and that line, not the restart, would be
 * measured.
 */
final class W4RestartLatency implements Workload {
  static final String ID = "W4";
  static final String MODE = "Mode OneForOneSupervisor";
  static final String MEDIAN = "crash -> RUNNING median us";
  static final String P99 = "crash -> RUNNING p99 us";
  static final String MAX = "crash -> RUNNING max us";
  static final String FIRST = "first crash -> RUNNING us";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String title() {
    return "restart latency under a one-for-one supervisor: crash() to RUNNING again";
  }

  /** The supervised service: one task that waits until it is told to stop. */
  static final class Consumer extends Service {
    @Task
    void consume() {
      while (!shouldStop()) sleep(Duration.ofSeconds(1));
    }
  }

  @Override
  public void run(BenchConfig config, Results results) throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level before = root.getLevel();
    root.setLevel(Level.OFF);
    long[] micros;
    try {
      if (config.w4Warmups() > 0) crashes(config.w4Warmups());
      micros = crashes(config.w4Crashes());
    } finally {
      root.setLevel(before);
    }
    int c = micros.length;
    long first = micros[0];
    long[] sorted = micros.clone();
    Arrays.sort(sorted);
    String with = " (" + c + " crashes, first included)";
    results.add(ID, MODE, c, MEDIAN, Results.format(percentile(sorted, 50)) + with, percentile(sorted, 50), "<= 50 us");
    results.add(ID, MODE, c, P99, Results.format(percentile(sorted, 99)) + with, percentile(sorted, 99), "<= 1,000 us");
    results.add(ID, MODE, c, MAX, sorted[c - 1], "");
    results.add(ID, MODE, c, FIRST, first, "");
  }

  /** Nearest-rank percentile of sorted values. */
  static double percentile(long[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /**
   * Starts a fresh supervisor with one consumer, crashes the consumer {@code count} times (the first
   * as soon as the supervisor has started), each time waiting until it runs again, and returns each
   * crash-to-RUNNING time in microseconds, in order.
   */
  static long[] crashes(int count) throws InterruptedException {
    Consumer consumer = new Consumer();
    OneForOneSupervisor supervisor = new OneForOneSupervisor(Integer.MAX_VALUE, Duration.ofSeconds(1));
    supervisor.add(consumer);
    long[] runningAt = new long[1];
    CountDownLatch[] running = new CountDownLatch[1];
    supervisor.addListener(
        new Service.Listener() {
          @Override
          public void stateChanged(Service service, State from, State to) {
            CountDownLatch latch = running[0];
            if (service == consumer && to == State.RUNNING && latch != null) {
              runningAt[0] = System.nanoTime();
              latch.countDown();
            }
          }
        });
    RuntimeException reason = new RuntimeException("measured crash"); // made once: not part of the cost
    long[] micros = new long[count];
    supervisor.start();
    try {
      for (int i = 0; i < count; i++) {
        CountDownLatch latch = new CountDownLatch(1);
        running[0] = latch;
        long t0 = System.nanoTime();
        consumer.crash(reason);
        if (!latch.await(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("crash " + (i + 1) + ": the service was not RUNNING again within 10 s");
        }
        micros[i] = (runningAt[0] - t0) / 1000;
      }
    } finally {
      supervisor.stop();
    }
    return micros;
  }
}
