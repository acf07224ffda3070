package dev.mode.bench;

import com.google.common.util.concurrent.AbstractIdleService;
import com.google.common.util.concurrent.ServiceManager;
import dev.mode.Service;
import dev.mode.State;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * W1: wall time of {@code start()} and {@code stop()} of a balanced tree (fan-out 10) of N services
 * with trivial callbacks, beside Guava's {@link ServiceManager} over N flat {@link
 * AbstractIdleService}s, with their default executor (a new platform thread per start-up and per
 * shut-down) and with a virtual-thread-per-task executor. Every point: warm-ups, then measured runs;
 * median and best. A fresh tree (or manager) per run; a full GC before each, so that one run's
 * garbage is not collected in the next one's timing.
 */
final class W1StartStop implements Workload {
  static final String ID = "W1";
  static final String MODE = "Mode (tree, fan-out 10)";
  static final String GUAVA = "Guava ServiceManager (default executor)";
  static final String GUAVA_VT = "Guava ServiceManager (virtual threads)";
  static final String START = "start ms (median / best)";
  static final String STOP = "stop ms (median / best)";
  static final String TOTAL = "start+stop ms (median)";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String title() {
    return "start and stop of N services with trivial callbacks";
  }

  @Override
  public void run(BenchConfig config, Results results) throws Exception {
    for (int n : config.w1Sizes()) {
      record(results, MODE, n, measure(config, () -> new ModeSubject(n)), targetFor(n));
      if (!config.baselines()) continue;
      record(results, GUAVA, n, measure(config, () -> new GuavaSubject(n, null)), "");
      try (ExecutorService vt = Executors.newVirtualThreadPerTaskExecutor()) {
        record(results, GUAVA_VT, n, measure(config, () -> new GuavaSubject(n, vt)), "");
      }
    }
  }

  private static String targetFor(int n) {
    return n == 10_000 ? "start+stop <= 20 ms; < Guava (virtual threads)" : n == 100_000 ? "<= 11x of N=10,000" : "";
  }

  private static void record(Results results, String subject, int n, double[][] startStop, String target) {
    double[] start = startStop[0];
    double[] stop = startStop[1];
    double[] total = new double[start.length];
    for (int i = 0; i < total.length; i++) total[i] = start[i] + stop[i];
    results.add(ID, subject, n, START, pair(start), Stats.median(start), "");
    results.add(ID, subject, n, STOP, pair(stop), Stats.median(stop), "");
    results.add(ID, subject, n, TOTAL, Stats.median(total), target);
  }

  private static String pair(double[] xs) {
    return Results.format(Stats.median(xs)) + " / " + Results.format(Stats.best(xs)) + (xs.length == SLOW_RUNS ? " (3 runs)" : "");
  }

  /** Something that can be started and stopped once. */
  interface Subject {
    void start() throws Exception;

    void stop() throws Exception;
  }

  interface SubjectFactory {
    Subject make() throws Exception;
  }

  /** A single start+stop longer than this makes the point use {@link #SLOW_RUNS} runs and no more warm-ups. */
  static final double SLOW_MS = 5_000;

  static final int SLOW_RUNS = 3;

  /**
   * [0]: start times in ms, [1]: stop times in ms, one per measured run. A subject whose first
   * warm-up takes longer than {@link #SLOW_MS} (Guava with a platform thread per service at 100,000)
   * gets {@link #SLOW_RUNS} measured runs and no further warm-up, so the whole harness stays within
   * ten minutes; the table shows the number of runs.
   */
  static double[][] measure(BenchConfig config, SubjectFactory factory) throws Exception {
    int runs = config.runs();
    int warmups = config.warmups();
    double[] start = new double[runs];
    double[] stop = new double[runs];
    int measured = 0;
    for (int i = 0; i < warmups + runs && measured < runs; i++) {
      Subject s = factory.make();
      if (!config.smoke()) {
        System.gc();
        Thread.sleep(20);
      }
      long t0 = System.nanoTime();
      s.start();
      long t1 = System.nanoTime();
      s.stop();
      long t2 = System.nanoTime();
      if (i >= warmups) {
        start[measured] = Stats.millis(t1 - t0);
        stop[measured] = Stats.millis(t2 - t1);
        measured++;
      } else if (i == 0 && Stats.millis(t2 - t0) > SLOW_MS) {
        runs = Math.min(runs, SLOW_RUNS);
        warmups = 1;
      }
    }
    return new double[][] {java.util.Arrays.copyOf(start, measured), java.util.Arrays.copyOf(stop, measured)};
  }

  /** A Mode service whose callbacks do nothing. */
  static final class Trivial extends Service {
    @Override
    protected void onStart() {}

    @Override
    protected void onStop() {}
  }

  static final class ModeSubject implements Subject {
    private final Service root;
    private final int n;

    ModeSubject(int n) {
      this.n = n;
      this.root = ServiceTree.build(n, i -> new Trivial());
    }

    @Override
    public void start() {
      root.start();
      if (root.state() != State.RUNNING) throw new IllegalStateException("root not RUNNING: " + root.state());
    }

    @Override
    public void stop() {
      root.stop();
      if (root.state() != State.SHUTDOWN) {
        throw new IllegalStateException("root of " + n + " services not SHUTDOWN: " + root.state());
      }
    }
  }

  /** Guava's idle service with no-op start-up and shut-down; {@code executor} null keeps Guava's default. */
  static final class IdleService extends AbstractIdleService {
    private final Executor executor;

    IdleService(Executor executor) {
      this.executor = executor;
    }

    @Override
    protected void startUp() {}

    @Override
    protected void shutDown() {}

    @Override
    protected Executor executor() {
      return executor == null ? super.executor() : executor;
    }
  }

  static final class GuavaSubject implements Subject {
    private static final long TIMEOUT_SECONDS = 600;
    private final ServiceManager manager;

    GuavaSubject(int n, Executor executor) {
      List<IdleService> services = new ArrayList<>(n);
      for (int i = 0; i < n; i++) services.add(new IdleService(executor));
      this.manager = new ServiceManager(services);
    }

    @Override
    public void start() throws TimeoutException {
      manager.startAsync().awaitHealthy(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void stop() throws TimeoutException {
      manager.stopAsync().awaitStopped(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
  }
}
