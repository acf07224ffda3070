package dev.mode.bench;

import dev.mode.Service;
import dev.mode.Timer;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * W3: timer precision. S services, each with a 10 ms {@code @Timer}, run for T seconds; each run's
 * lateness against the ideal schedule {@code start + k * 10 ms}, and runs observed against runs
 * expected. Beside it, S tasks on a {@link ScheduledThreadPoolExecutor} (one thread per core) with
 * {@code scheduleWithFixedDelay}, the JDK's fixed-delay timer, and with {@code scheduleAtFixedRate}
 * for reference; and S tasks on one Netty {@link HashedWheelTimer}, at its default 100 ms tick and at
 * a 1 ms tick, each re-armed from inside its run for its next ideal time. Each subject gets a three-second warm-up run first (not in smoke mode), so that the
 * JIT has compiled its timer path before the measured run, then a full GC.
 */
final class W3TimerPrecision implements Workload {
  static final String ID = "W3";
  static final String MODE = "Mode @Timer(\"10ms\")";
  static final String STPE_DELAY = "STPE scheduleWithFixedDelay";
  static final String STPE_RATE = "STPE scheduleAtFixedRate";
  static final String NETTY_100MS = "Netty HashedWheelTimer, 100 ms tick";
  static final String NETTY_1MS = "Netty HashedWheelTimer, 1 ms tick";
  static final long INTERVAL_NANOS = Duration.ofMillis(10).toNanos();

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String title() {
    return "lateness of 10 ms timers against the ideal schedule";
  }

  @Override
  public void run(BenchConfig config, Results results) throws Exception {
    int s = config.w3Services();
    Duration window = Duration.ofMillis((long) (config.w3Seconds() * 1000));
    Duration warmup = config.smoke() ? Duration.ZERO : Duration.ofSeconds(3);
    boolean gc = !config.smoke();
    if (!warmup.isZero()) runMode(s, warmup);
    collect(gc);
    record(results, MODE, s, runMode(s, window), true);
    if (!config.baselines()) return;
    if (!warmup.isZero()) runStpe(s, warmup, false);
    collect(gc);
    record(results, STPE_DELAY, s, runStpe(s, window, false), false);
    if (!warmup.isZero()) runStpe(s, warmup, true);
    collect(gc);
    record(results, STPE_RATE, s, runStpe(s, window, true), false);
    for (int tick : new int[] {100, 1}) {
      if (!warmup.isZero()) runNetty(s, warmup, tick);
      collect(gc);
      record(results, tick == 100 ? NETTY_100MS : NETTY_1MS, s, runNetty(s, window, tick), false);
    }
  }

  /**
   * A full collection before a measured window, so that the garbage of the workloads before (W1
   * leaves hundreds of MB) is not collected inside it: a pause longer than the 10 ms interval shifts
   * every later run of a fixed-delay timer (Mode's, and STPE's fixed delay) for the rest of the
   * window, and would be counted as lateness of the timer rather than of the harness.
   */
  private static void collect(boolean gc) throws InterruptedException {
    if (!gc) return;
    System.gc();
    Thread.sleep(100);
  }

  /** What one subject did in its window. */
  record Outcome(Lateness lateness, long runs, long expected) {
    /** Runs counted, against those due from each task's start {@code t0[i]} to {@code windowEnd}. */
    static Outcome of(Lateness lateness, long[] runs, long[] t0, long windowEnd) {
      long total = 0;
      long expected = 0;
      for (int i = 0; i < runs.length; i++) {
        total += runs[i];
        expected += (windowEnd - t0[i]) / INTERVAL_NANOS;
      }
      return new Outcome(lateness, total, expected);
    }
  }

  private static void record(Results results, String subject, int s, Outcome o, boolean mode) {
    Lateness l = o.lateness;
    results.add(ID, subject, s, "lateness p50 ms", l.millisAt(50), "");
    results.add(ID, subject, s, "lateness p99 ms", l.millisAt(99), mode ? "<= 2 ms; < STPE fixed delay" : "");
    results.add(ID, subject, s, "lateness max ms", l.maxMillis(), "");
    double ratio = o.expected == 0 ? Double.NaN : (double) o.runs / o.expected;
    results.add(
        ID, subject, s, "runs / expected", String.format(Locale.ROOT, "%.4f (%,d / %,d)", ratio, o.runs, o.expected),
        ratio, mode ? ">= 0.999" : "");
  }

  /** A service with one 10 ms timer that records how late each run is. */
  static final class TickingService extends Service {
    private final Lateness lateness;
    private volatile long deadline; // window end: runs due after it are not counted
    private long t0;
    private long runs;

    TickingService(Lateness lateness) {
      this.lateness = lateness;
    }

    @Override
    protected void onStart() {
      t0 = System.nanoTime();
    }

    @Timer("10ms")
    void tick() {
      long now = System.nanoTime();
      long ideal = t0 + (runs + 1) * INTERVAL_NANOS;
      if (ideal - deadline > 0) return;
      runs++;
      lateness.record(now, ideal);
    }
  }

  /** The parent of the ticking services. */
  static final class Ticking extends Service {}

  static Outcome runMode(int s, Duration window) throws InterruptedException {
    Lateness lateness = new Lateness();
    Service root = new Ticking();
    List<TickingService> services = new ArrayList<>(s);
    for (int i = 0; i < s; i++) services.add(root.addDependency(new TickingService(lateness)));
    long end = System.nanoTime() + window.toNanos() + Duration.ofDays(1).toNanos();
    for (TickingService t : services) t.deadline = end;
    root.start();
    long windowEnd = System.nanoTime() + window.toNanos();
    for (TickingService t : services) t.deadline = windowEnd;
    sleepUntil(windowEnd + INTERVAL_NANOS * 20); // let runs due in the window finish, however late
    root.stop();
    long runs = 0;
    long expected = 0;
    for (TickingService t : services) {
      runs += t.runs;
      expected += (windowEnd - t.t0) / INTERVAL_NANOS;
    }
    return new Outcome(lateness, runs, expected);
  }

  static Outcome runStpe(int s, Duration window, boolean fixedRate) throws InterruptedException {
    Lateness lateness = new Lateness();
    ScheduledThreadPoolExecutor stpe = new ScheduledThreadPoolExecutor(Runtime.getRuntime().availableProcessors());
    stpe.prestartAllCoreThreads();
    long[] t0 = new long[s];
    long[] runs = new long[s];
    long windowEnd = System.nanoTime() + window.toNanos();
    List<ScheduledFuture<?>> futures = new ArrayList<>(s);
    for (int i = 0; i < s; i++) {
      int idx = i;
      Runnable tick = () -> {
        long now = System.nanoTime();
        long ideal = t0[idx] + (runs[idx] + 1) * INTERVAL_NANOS;
        if (ideal - windowEnd > 0) return;
        runs[idx]++;
        lateness.record(now, ideal);
      };
      t0[i] = System.nanoTime();
      futures.add(
          fixedRate
              ? stpe.scheduleAtFixedRate(tick, INTERVAL_NANOS, INTERVAL_NANOS, TimeUnit.NANOSECONDS)
              : stpe.scheduleWithFixedDelay(tick, INTERVAL_NANOS, INTERVAL_NANOS, TimeUnit.NANOSECONDS));
    }
    sleepUntil(windowEnd + INTERVAL_NANOS * 20);
    stpe.shutdownNow();
    stpe.awaitTermination(10, TimeUnit.SECONDS);
    return Outcome.of(lateness, runs, t0, windowEnd);
  }

  /**
   * S tasks on one {@link HashedWheelTimer} with a tick of {@code tickMillis}; each re-arms itself
   * from inside its run with {@code newTimeout} for its next ideal time, correcting its drift.
   */
  static Outcome runNetty(int s, Duration window, int tickMillis) throws InterruptedException {
    Lateness lateness = new Lateness();
    HashedWheelTimer wheel =
        new HashedWheelTimer(Executors.defaultThreadFactory(), tickMillis, TimeUnit.MILLISECONDS);
    wheel.start();
    AtomicBoolean stopping = new AtomicBoolean();
    long[] t0 = new long[s];
    long[] runs = new long[s];
    long windowEnd = System.nanoTime() + window.toNanos();
    for (int i = 0; i < s; i++) {
      int idx = i;
      TimerTask tick =
          new TimerTask() {
            long next;

            @Override
            public void run(Timeout timeout) {
              long now = System.nanoTime();
              long ideal = t0[idx] + (runs[idx] + 1) * INTERVAL_NANOS;
              if (ideal - windowEnd <= 0) {
                runs[idx]++;
                lateness.record(now, ideal);
              }
              next = (next == 0 ? t0[idx] + INTERVAL_NANOS : next) + INTERVAL_NANOS;
              if (!stopping.get()) rearm(wheel, this, Math.max(0, next - now));
            }
          };
      t0[i] = System.nanoTime();
      wheel.newTimeout(tick, INTERVAL_NANOS, TimeUnit.NANOSECONDS);
    }
    sleepUntil(windowEnd + INTERVAL_NANOS * 20);
    stopping.set(true);
    wheel.stop();
    return Outcome.of(lateness, runs, t0, windowEnd);
  }

  /**
   * Arms {@code task} on {@code wheel} in {@code delayNanos}; a wheel whose stop has begun refuses
   * with IllegalStateException, which only ends the re-arming the stop asked for.
   */
  static void rearm(HashedWheelTimer wheel, TimerTask task, long delayNanos) {
    try {
      wheel.newTimeout(task, delayNanos, TimeUnit.NANOSECONDS);
    } catch (IllegalStateException stopped) {
      // the wheel is stopping: the run that raced the stop flag is the last one
    }
  }

  static void sleepUntil(long nanoTime) throws InterruptedException {
    for (long left; (left = nanoTime - System.nanoTime()) > 0; ) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }
}
