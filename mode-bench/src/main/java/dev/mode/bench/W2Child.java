package dev.mode.bench;

import dev.mode.Service;
import dev.mode.Timer;
import dev.mode.TimerInfo;
import java.time.Duration;
import java.util.Locale;

/**
 * The child JVM of W2: {@code W2Child N SECONDS}. Builds a tree of N services with a 1 s timer,
 * starts it, lets the timers run for SECONDS, measures memory against a baseline taken before the
 * tree existed, stops the tree and prints one {@code RESULT key=value ...} line.
 *
 * <p>Memory is measured after the timer window, so that the forced collections do not delay the
 * timers being judged. The services are held only through the tree, as an application would.
 */
public final class W2Child {
  static final String RESULT = ChildJvm.RESULT;
  static final long INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();

  /** Runs from this one on (the 4th run of each timer) count as the steady state. */
  static final int STEADY_FROM_RUN = 4;

  /** An idle service with a 1 s timer that records how late each run is. */
  static final class IdleTimerService extends Service {
    static final Lateness LATENESS = new Lateness();
    static final Lateness FIRST = new Lateness(); // each timer's first run, a second after start
    static final Lateness STEADY = new Lateness(); // runs STEADY_FROM_RUN and later
    static volatile long windowEnd = Long.MAX_VALUE / 2;
    long t0;
    int runs;

    @Override
    protected void onStart() {
      t0 = System.nanoTime();
    }

    @Timer("1s")
    void tick() {
      long now = System.nanoTime();
      long ideal = t0 + (runs + 1) * INTERVAL_NANOS;
      if (ideal - windowEnd > 0) return;
      runs++;
      LATENESS.record(now, ideal);
      if (runs == 1) FIRST.record(now, ideal);
      if (runs >= STEADY_FROM_RUN) STEADY.record(now, ideal);
    }
  }

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    double seconds = Double.parseDouble(args[1]);
    warmUp();
    long heap0 = ProcessMemory.heapAfterGc();
    long rss0 = ProcessMemory.rss();

    Service root = ServiceTree.build(n, i -> new IdleTimerService());
    long t0 = System.nanoTime();
    root.start();
    long t1 = System.nanoTime();
    long windowEnd = t1 + (long) (seconds * 1e9);
    IdleTimerService.windowEnd = windowEnd;
    long cpu0 = processCpuNanos();
    long alloc0 = allocatedBytes();
    W3TimerPrecision.sleepUntil(windowEnd);
    long cpuWindow = processCpuNanos() - cpu0; // every thread of the process, GC and JIT included
    long allocWindow = allocatedBytes() - alloc0; // virtual threads allocate on their carriers
    // runs due in the window get one more second to happen, however late they are
    W3TimerPrecision.sleepUntil(windowEnd + INTERVAL_NANOS);
    long[] runsExpected = new long[3];
    count(root, windowEnd, runsExpected);

    long heap1 = ProcessMemory.heapAfterGc();
    long rss1 = ProcessMemory.rss();
    long t2 = System.nanoTime();
    root.stop();
    long t3 = System.nanoTime();

    Lateness l = IdleTimerService.LATENESS;
    Lateness first = IdleTimerService.FIRST;
    Lateness steady = IdleTimerService.STEADY;
    System.out.println(
        String.format(
            Locale.ROOT,
            "%s n=%d heapBytes=%d rssBytes=%d startMs=%.3f stopMs=%.3f runs=%d expected=%d p50Ms=%.3f p99Ms=%.3f"
                + " maxMs=%.3f firstP99Ms=%.3f firstMaxMs=%.3f steadyRuns=%d steadyP50Ms=%.3f steadyP99Ms=%.3f"
                + " steadyMaxMs=%.3f lateRuns=%d cpuMs=%.1f windowMs=%.1f allocBytes=%d",
            RESULT, n, heap1 - heap0, rss1 - rss0, (t1 - t0) / 1e6, (t3 - t2) / 1e6, runsExpected[0],
            runsExpected[1], l.millisAt(50), l.millisAt(99), l.maxMillis(), first.millisAt(99), first.maxMillis(),
            steady.count(), steady.millisAt(50), steady.millisAt(99), steady.maxMillis(), runsExpected[2],
            cpuWindow / 1e6, seconds * 1e3, allocWindow));
  }

  /** Bytes allocated on the heap so far by every platform thread (carriers included). */
  static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
        .getTotalThreadAllocatedBytes();
  }

  /** CPU time of the whole process so far, in nanoseconds. */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static void count(Service s, long windowEnd, long[] runsExpected) {
    IdleTimerService t = (IdleTimerService) s;
    runsExpected[0] += t.runs;
    runsExpected[1] += (windowEnd - t.t0) / INTERVAL_NANOS;
    // the runs Mode itself counted as late: woke up >= 30% of the interval late (SPEC section 5)
    for (TimerInfo info : t.timers()) runsExpected[2] += info.driftsLate();
    for (Service d : s.dependencies()) count(d, windowEnd, runsExpected);
  }

  // loads and compiles the classes a tree uses, so that the baseline already holds them
  // (its timers overlap while the JIT compiles, which is the point; their warnings are not logged)
  private static void warmUp() throws InterruptedException {
    ch.qos.logback.classic.Logger log =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(WarmUpService.class);
    log.setLevel(ch.qos.logback.classic.Level.ERROR);
    Service warm = ServiceTree.build(1000, i -> new WarmUpService());
    warm.start();
    Thread.sleep(100);
    warm.stop();
  }

  /** A service with a fast timer, for warming up the timer path. */
  static final class WarmUpService extends Service {
    @Timer("10ms")
    void tick() {}
  }
}
