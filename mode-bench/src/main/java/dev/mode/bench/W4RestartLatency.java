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
 * <p>Two measurements. Cold: a fresh child JVM ({@link W4Child}) with no warm-up at all starts a
 * supervisor and crashes its service C times, the first as soon as {@code supervisor.start()}
 * returned; its median, max and first crash are reported. Warm: in the harness JVM, warm-up crashes
 * run on a first supervisor, which is then stopped, and the C crashes of a fresh supervisor after
 * them are reported. Logging is off while W4 runs: each crash logs an ERROR with its stack trace,
 * and that line, not the restart, would be measured.
 */
final class W4RestartLatency implements Workload {
  static final String ID = "W4";
  static final String MODE = "Mode OneForOneSupervisor, warm";
  static final String MODE_COLD = "Mode OneForOneSupervisor, cold (fresh JVM)";
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
    int c = config.w4Crashes();
    String micros = ChildJvm.run(config, W4Child.class, "W4 cold", Integer.toString(c)).get("micros");
    long[] cold = Arrays.stream(micros.split(",")).mapToLong(Long::parseLong).toArray();
    report(results, MODE_COLD, cold, " (first " + c + " crashes after start, no warm-up)", "<= 50 us", "<= 1,000 us");

    long[] warm =
        quietly(
            () -> {
              if (config.w4Warmups() > 0) crashes(config.w4Warmups());
              return crashes(c);
            });
    report(results, MODE, warm, " (" + c + " crashes after " + config.w4Warmups() + " warm-up)", "<= 20 us", "");
  }

  private static void report(
      Results results, String subject, long[] micros, String with, String medianTarget, String firstTarget) {
    int c = micros.length;
    long[] sorted = micros.clone();
    Arrays.sort(sorted);
    double median = percentile(sorted, 50);
    results.add(ID, subject, c, MEDIAN, Results.format(median) + with, median, medianTarget);
    results.add(ID, subject, c, P99, percentile(sorted, 99), "");
    results.add(ID, subject, c, MAX, sorted[c - 1], "");
    results.add(ID, subject, c, FIRST, micros[0], firstTarget);
  }

  /** What {@link #quietly} runs. */
  interface Measurement {
    long[] run() throws InterruptedException;
  }

  /** Runs {@code m} with logging off, so that the crashes' ERROR lines are not what is measured. */
  static long[] quietly(Measurement m) throws InterruptedException {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level before = root.getLevel();
    root.setLevel(Level.OFF);
    try {
      return m.run();
    } finally {
      root.setLevel(before);
    }
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
