package dev.mode.bench;

import com.google.common.util.concurrent.AbstractScheduledService;
import com.google.common.util.concurrent.ServiceManager;
import dev.mode.Service;
import dev.mode.Timer;
import dev.mode.TimerInfo;
import dev.mode.graph.DependencyGraph;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The child JVM of W2: {@code W2Child N SECONDS [SUBJECT]}. Builds N timers of 1 s of one subject
 * ({@code mode}: a tree of N services with a 1 s {@code @Timer}, the default; {@code guava}: N
 * {@code AbstractScheduledService}s at a fixed rate on one shared scheduler thread, under a {@code
 * ServiceManager}; {@code netty-100ms} and {@code netty-1ms}: N tasks on one Netty {@code
 * HashedWheelTimer} with that tick, each re-armed from inside its run for its next ideal time),
 * starts them, lets them run for SECONDS, measures memory against a baseline taken before they
 * existed, stops them and prints one {@code RESULT key=value ...} line.
 *
 * <p>Every subject judges its runs the same way: run k of a timer started at t0 is due at {@code t0 +
 * k s}. Two windows: cold, every run due from start to the window's end; steady, the runs due in the
 * 5 s that begin 2 s after {@code start()} returned (scaled down to 2/7 of SECONDS and the rest when
 * SECONDS is below 7, as in the smoke test).
 *
 * <p>Memory is measured after the timer window, so that the forced collections do not delay the
 * timers being judged. Mode's services are held only through the tree, as an application would; the
 * peers' timers are held in one list.
 */
public final class W2Child {
  static final String RESULT = ChildJvm.RESULT;
  static final long INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();
  static final String MODE = "mode";
  static final String GUAVA = "guava";
  static final String NETTY_100MS = "netty-100ms";
  static final String NETTY_1MS = "netty-1ms";
  static final List<String> SUBJECTS = List.of(MODE, GUAVA, NETTY_100MS, NETTY_1MS);

  /** Runs from this one on (the 4th run of each timer) count as the steady state of the lateness. */
  static final int STEADY_FROM_RUN = 4;

  static final long SETTLE_NANOS = Duration.ofSeconds(2).toNanos();
  static final long STEADY_NANOS = Duration.ofSeconds(5).toNanos();

  static final Lateness LATENESS = new Lateness();
  static final Lateness FIRST = new Lateness(); // each timer's first run, a second after start
  static final Lateness STEADY = new Lateness(); // runs STEADY_FROM_RUN and later
  static volatile long windowEnd = Long.MAX_VALUE / 2;
  static volatile long steadyFrom = Long.MAX_VALUE / 2;
  static volatile long steadyTo = Long.MAX_VALUE / 2;

  private W2Child() {}

  /**
   * Records run number {@code runs + 1} of a timer started at {@code t0}, begun at {@code now};
   * false (nothing recorded) if that run was due after the window.
   */
  static boolean record(long now, long t0, int runs) {
    long ideal = t0 + (runs + 1) * INTERVAL_NANOS;
    if (ideal - windowEnd > 0) return false;
    LATENESS.record(now, ideal);
    if (runs == 0) FIRST.record(now, ideal);
    if (runs + 1 >= STEADY_FROM_RUN) STEADY.record(now, ideal);
    return true;
  }

  /** Whether run number {@code run} (from 1) of a timer started at {@code t0} was due in the steady window. */
  static boolean inSteady(long t0, int run) {
    long ideal = t0 + run * INTERVAL_NANOS;
    return ideal - steadyFrom >= 0 && ideal - steadyTo < 0;
  }

  /** The runs of a timer started at {@code t0} that are due in the steady window. */
  static long steadyExpected(long t0) {
    long from = Math.max(1, Math.ceilDiv(steadyFrom - t0, INTERVAL_NANOS));
    long to = Math.max(1, Math.ceilDiv(steadyTo - t0, INTERVAL_NANOS));
    return to - from;
  }

  /** What is counted at the end: runs, expected, Mode's late runs, steady runs, steady expected. */
  static final class Counts {
    long runs;
    long expected;
    long lateRuns;
    long steadyRuns;
    long steadyExpected;

    void add(long t0, int runs, int steadyRuns) {
      this.runs += runs;
      expected += (windowEnd - t0) / INTERVAL_NANOS;
      this.steadyRuns += steadyRuns;
      steadyExpected += steadyExpected(t0);
    }
  }

  /** One kind of N timers: built, started, counted and stopped by {@link #main}. */
  interface Subject {
    void build(int n);

    void start() throws Exception;

    void count(Counts counts);

    void stop() throws Exception;
  }

  /** An idle service with a 1 s timer that records how late each run is. */
  static final class IdleTimerService extends Service {
    long t0;
    int runs;
    int steadyRuns;

    @Override
    protected void onStart() {
      t0 = System.nanoTime();
    }

    @Timer("1s")
    void tick() {
      if (!record(System.nanoTime(), t0, runs)) return;
      if (inSteady(t0, ++runs)) steadyRuns++;
    }
  }

  /** Mode: a tree of N services with a 1 s timer each. */
  static final class ModeSubject implements Subject {
    private Service root;

    @Override
    public void build(int n) {
      root = ServiceTree.build(n, i -> new IdleTimerService());
    }

    @Override
    public void start() {
      root.start();
    }

    @Override
    public void count(Counts counts) {
      DependencyGraph.walk(
          root,
          (s, depth) -> {
            IdleTimerService t = (IdleTimerService) s;
            counts.add(t.t0, t.runs, t.steadyRuns);
            // the runs Mode itself counted as late: woke up >= 30% of the interval late (SPEC section 5)
            for (TimerInfo info : t.timers()) counts.lateRuns += info.driftsLate();
          });
    }

    @Override
    public void stop() {
      root.stop();
    }
  }

  /** Guava: N scheduled services at a fixed rate of 1 s, all on one shared scheduler thread. */
  static final class GuavaSubject implements Subject {
    private final ScheduledExecutorService shared = Executors.newSingleThreadScheduledExecutor();
    private final List<GuavaTimer> timers = new ArrayList<>();
    private ServiceManager manager;

    final class GuavaTimer extends AbstractScheduledService {
      volatile long t0;
      int runs;
      int steadyRuns;

      @Override
      protected void startUp() {
        t0 = System.nanoTime();
      }

      @Override
      protected void runOneIteration() {
        if (!record(System.nanoTime(), t0, runs)) return;
        if (inSteady(t0, ++runs)) steadyRuns++;
      }

      @Override
      protected Scheduler scheduler() {
        return Scheduler.newFixedRateSchedule(INTERVAL_NANOS, INTERVAL_NANOS, TimeUnit.NANOSECONDS);
      }

      @Override
      protected ScheduledExecutorService executor() {
        return shared;
      }
    }

    @Override
    public void build(int n) {
      for (int i = 0; i < n; i++) timers.add(new GuavaTimer());
      manager = new ServiceManager(timers);
    }

    @Override
    public void start() {
      manager.startAsync().awaitHealthy();
    }

    @Override
    public void count(Counts counts) {
      for (GuavaTimer t : timers) counts.add(t.t0, t.runs, t.steadyRuns);
    }

    @Override
    public void stop() throws InterruptedException {
      manager.stopAsync().awaitStopped();
      shared.shutdownNow();
      shared.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Netty: N tasks on one {@link HashedWheelTimer}, each re-armed from inside its run for its next
   * ideal time (like a periodic task that corrects its drift, as Mode's timer does).
   */
  static final class NettySubject implements Subject {
    private final HashedWheelTimer wheel;
    private final List<NettyTimer> timers = new ArrayList<>();
    private volatile boolean stopping;

    NettySubject(long tickMillis) {
      wheel = new HashedWheelTimer(Executors.defaultThreadFactory(), tickMillis, TimeUnit.MILLISECONDS);
    }

    final class NettyTimer implements TimerTask {
      volatile long t0;
      long next;
      int runs;
      int steadyRuns;

      void arm() {
        t0 = System.nanoTime();
        next = t0 + INTERVAL_NANOS;
        wheel.newTimeout(this, INTERVAL_NANOS, TimeUnit.NANOSECONDS);
      }

      @Override
      public void run(Timeout timeout) {
        long now = System.nanoTime();
        if (record(now, t0, runs) && inSteady(t0, ++runs)) steadyRuns++;
        if (stopping) return;
        next += INTERVAL_NANOS;
        W3TimerPrecision.rearm(wheel, this, Math.max(0, next - now));
      }
    }

    @Override
    public void build(int n) {
      for (int i = 0; i < n; i++) timers.add(new NettyTimer());
    }

    @Override
    public void start() {
      wheel.start();
      for (NettyTimer t : timers) t.arm();
    }

    @Override
    public void count(Counts counts) {
      for (NettyTimer t : timers) counts.add(t.t0, t.runs, t.steadyRuns);
    }

    @Override
    public void stop() {
      stopping = true;
      wheel.stop();
    }
  }

  static Subject subject(String id) {
    return switch (id) {
      case MODE -> new ModeSubject();
      case GUAVA -> new GuavaSubject();
      case NETTY_100MS -> new NettySubject(100);
      case NETTY_1MS -> new NettySubject(1);
      default ->
          throw new IllegalArgumentException("Unknown W2 subject '" + id + "': use one of " + String.join(", ", SUBJECTS));
    };
  }

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    double seconds = Double.parseDouble(args[1]);
    String id = args.length > 2 ? args[2] : MODE;
    warmUp(id);
    long heap0 = ProcessMemory.heapAfterGc();
    long rss0 = ProcessMemory.rss();

    Subject subject = subject(id);
    subject.build(n);
    long t0 = System.nanoTime();
    subject.start();
    long t1 = System.nanoTime();
    long window = (long) (seconds * 1e9);
    long end = t1 + window;
    long settle = window >= SETTLE_NANOS + STEADY_NANOS ? SETTLE_NANOS : window * 2 / 7;
    steadyFrom = t1 + settle;
    steadyTo = Math.min(end, t1 + settle + STEADY_NANOS);
    windowEnd = end;
    long cpu0 = processCpuNanos();
    long alloc0 = allocatedBytes();
    W3TimerPrecision.sleepUntil(end);
    long cpuWindow = processCpuNanos() - cpu0; // every thread of the process, GC and JIT included
    long allocWindow = allocatedBytes() - alloc0; // virtual threads allocate on their carriers
    // runs due in the window get one more second to happen, however late they are
    W3TimerPrecision.sleepUntil(end + INTERVAL_NANOS);
    Counts c = new Counts();
    subject.count(c);

    long heap1 = ProcessMemory.heapAfterGc();
    long rss1 = ProcessMemory.rss();
    long t2 = System.nanoTime();
    subject.stop();
    long t3 = System.nanoTime();

    System.out.println(
        String.format(
            Locale.ROOT,
            "%s n=%d heapBytes=%d rssBytes=%d startMs=%.3f stopMs=%.3f runs=%d expected=%d steadyRuns=%d"
                + " steadyExpected=%d p50Ms=%.3f p99Ms=%.3f maxMs=%.3f firstP99Ms=%.3f firstMaxMs=%.3f"
                + " steadyLatenessRuns=%d steadyP50Ms=%.3f steadyP99Ms=%.3f steadyMaxMs=%.3f lateRuns=%d cpuMs=%.1f"
                + " windowMs=%.1f allocBytes=%d",
            RESULT, n, heap1 - heap0, rss1 - rss0, (t1 - t0) / 1e6, (t3 - t2) / 1e6, c.runs, c.expected,
            c.steadyRuns, c.steadyExpected, LATENESS.millisAt(50), LATENESS.millisAt(99), LATENESS.maxMillis(),
            FIRST.millisAt(99), FIRST.maxMillis(), STEADY.count(), STEADY.millisAt(50), STEADY.millisAt(99),
            STEADY.maxMillis(), c.lateRuns, cpuWindow / 1e6, seconds * 1e3, allocWindow));
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

  // loads and compiles the classes the subject uses, so that the baseline already holds them
  // (Mode's timers overlap while the JIT compiles, which is the point; their warnings are not logged)
  private static void warmUp(String id) throws Exception {
    if (!id.equals(MODE)) {
      Subject warm = subject(id);
      warm.build(1000);
      warm.start();
      Thread.sleep(100);
      warm.stop();
      return;
    }
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
