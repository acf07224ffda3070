package dev.mode.bench;

import dev.mode.Service;
import dev.mode.TimerInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * W7: what one timer run costs when its body is empty. In the harness JVM, {@value #SERVICES}
 * services each with a {@value #INTERVAL_MS} ms timer whose body does nothing run for a warm-up,
 * then for a measured window; the process's CPU time (every thread: the clock thread, the runners,
 * GC and JIT included) and the bytes allocated by every thread (virtual threads allocate on their
 * carriers) over the window are divided by the runs Mode counted in it ({@link TimerInfo#runs()}).
 * The services are few, so their state stays in the caches: this is the cost of the run itself, where
 * W2 adds the cost of reaching a million services' state.
 */
final class W7TimerRunCost implements Workload {
  static final String ID = "W7";
  static final String MODE = "Mode, empty @Timer body";
  static final String CPU = "process CPU ns / timer run";
  static final String ALLOC = "heap allocated bytes / timer run";
  static final int SERVICES = 1_000;
  static final int INTERVAL_MS = 10;

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String title() {
    return "CPU and allocation of one timer run with an empty body";
  }

  @Override
  public void run(BenchConfig config, Results results) throws Exception {
    double warmSeconds = config.smoke() ? 0.5 : 5;
    double windowSeconds = config.smoke() ? 0.5 : 10;
    Service root = new Service() {};
    List<Service> timed = new ArrayList<>();
    for (int i = 0; i < SERVICES; i++) {
      Service s = root.addDependency(new Service() {});
      s.addTimer("tick", Duration.ofMillis(INTERVAL_MS), () -> {});
      timed.add(s);
    }
    root.start();
    try {
      W3TimerPrecision.sleepUntil(System.nanoTime() + (long) (warmSeconds * 1e9));
      long runs0 = runs(timed);
      long cpu0 = W2Child.processCpuNanos();
      long alloc0 = W2Child.allocatedBytes();
      W3TimerPrecision.sleepUntil(System.nanoTime() + (long) (windowSeconds * 1e9));
      long cpu = W2Child.processCpuNanos() - cpu0;
      long alloc = W2Child.allocatedBytes() - alloc0;
      long runs = runs(timed) - runs0;
      double cpuPerRun = runs == 0 ? 0 : (double) cpu / runs;
      double allocPerRun = runs == 0 ? 0 : (double) alloc / runs;
      String with = " (" + runs + " runs in " + Results.format(windowSeconds) + " s)";
      results.add(ID, MODE, SERVICES, CPU, Results.format(cpuPerRun) + with, cpuPerRun, "<= 1,000 ns");
      results.add(ID, MODE, SERVICES, ALLOC, Results.format(allocPerRun) + with, allocPerRun, "<= 100 B");
    } finally {
      root.stop();
    }
  }

  private static long runs(List<Service> services) {
    long n = 0;
    for (Service s : services) for (TimerInfo t : s.timers()) n += t.runs();
    return n;
  }
}
