package dev.mode.bench;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * W2: memory of idle services with a timer, and whether every timer fires on time. For each N and
 * subject, a fresh child JVM ({@link W2Child}) builds N timers of 1 s, starts them, watches them for a
 * window, then measures heap after GC and resident set size against its own baseline taken before
 * they were built. A child per point keeps one measurement's heap growth out of the next one's RSS.
 * Beside Mode (a tree of N services with a {@code @Timer}): Guava's {@code AbstractScheduledService}
 * on one shared scheduler thread, and Netty's {@code HashedWheelTimer} at its default 100 ms tick and
 * at a 1 ms tick.
 */
final class W2Memory implements Workload {
  static final String ID = "W2";
  static final String MODE = "Mode, 1 s @Timer each";
  static final String GUAVA = "Guava AbstractScheduledService, 1 shared thread, fixed rate";
  static final String NETTY_100MS = "Netty HashedWheelTimer, 100 ms tick";
  static final String NETTY_1MS = "Netty HashedWheelTimer, 1 ms tick";
  static final String COLD = "timer runs / expected, cold (every run due from start)";
  static final String STEADY = "timer runs / expected, steady (5 s from 2 s after start)";

  /** The subjects, by the id {@link W2Child} takes, and their names in the table. */
  static final Map<String, String> SUBJECTS =
      Map.of(W2Child.MODE, MODE, W2Child.GUAVA, GUAVA, W2Child.NETTY_100MS, NETTY_100MS, W2Child.NETTY_1MS, NETTY_1MS);

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String title() {
    return "memory of N idle services with a 1 s timer, and whether every timer fires on time";
  }

  @Override
  public void run(BenchConfig config, Results results) throws Exception {
    int firstN = -1;
    Map<String, String> first = null;
    for (int n : config.w2Sizes()) {
      Map<String, String> r = runChild(config, n, W2Child.MODE);
      if (first == null) {
        firstN = n;
        first = r;
      } else if (n != firstN) {
        marginal(results, firstN, first, n, r);
      }
      report(results, MODE, n, r, true);
      if (!config.baselines()) continue;
      for (String peer : List.of(W2Child.GUAVA, W2Child.NETTY_100MS, W2Child.NETTY_1MS)) {
        report(results, SUBJECTS.get(peer), n, runChild(config, n, peer), false);
      }
    }
  }

  private static void report(Results results, String subject, int n, Map<String, String> r, boolean mode) {
    double heapPer = Double.parseDouble(r.get("heapBytes")) / n;
    double rssPer = Double.parseDouble(r.get("rssBytes")) / n;
    long runs = Long.parseLong(r.get("runs"));
    results.add(ID, subject, n, "retained heap bytes / service", heapPer, mode ? "<= 1,024" : "");
    results.add(ID, subject, n, "RSS bytes / service", rssPer, mode ? "<= 2,048" : "");
    results.add(ID, subject, n, "start ms", Double.parseDouble(r.get("startMs")), "");
    results.add(ID, subject, n, "stop ms", Double.parseDouble(r.get("stopMs")), "");
    ratio(results, subject, n, COLD, runs, Long.parseLong(r.get("expected")), mode ? ">= 0.999 (at 100,000)" : "");
    ratio(results, subject, n, STEADY, Long.parseLong(r.get("steadyRuns")), Long.parseLong(r.get("steadyExpected")),
        mode ? ">= 0.99 (at 1,000,000)" : "");
    results.add(ID, subject, n, "timer lateness p50 ms", Double.parseDouble(r.get("p50Ms")), "");
    results.add(ID, subject, n, "timer lateness p99 ms", Double.parseDouble(r.get("p99Ms")), "");
    results.add(ID, subject, n, "timer lateness max ms", Double.parseDouble(r.get("maxMs")), "");
    results.add(ID, subject, n, "first runs (cold JIT): lateness p99 ms", Double.parseDouble(r.get("firstP99Ms")), "");
    results.add(ID, subject, n, "first runs (cold JIT): lateness max ms", Double.parseDouble(r.get("firstMaxMs")), "");
    String steady = "runs " + W2Child.STEADY_FROM_RUN + "+ of each timer: ";
    results.add(ID, subject, n, steady + "lateness p50 ms", Double.parseDouble(r.get("steadyP50Ms")), "");
    results.add(ID, subject, n, steady + "lateness p99 ms", Double.parseDouble(r.get("steadyP99Ms")), "");
    results.add(ID, subject, n, steady + "lateness max ms", Double.parseDouble(r.get("steadyMaxMs")), mode ? "on time: < 300 ms" : "");
    if (mode) results.add(ID, subject, n, "runs Mode counted late (drift >= 300 ms)", Double.parseDouble(r.get("lateRuns")), "");
    double cpuMs = Double.parseDouble(r.get("cpuMs"));
    double windowMs = Double.parseDouble(r.get("windowMs"));
    results.add(ID, subject, n, "process CPU in window, cores busy", cpuMs / windowMs, "");
    results.add(ID, subject, n, "process CPU us / timer run", runs == 0 ? Double.NaN : cpuMs * 1000 / runs, mode ? "<= 1 us" : "");
    results.add(ID, subject, n, "heap allocated in window, bytes / timer run",
        runs == 0 ? Double.NaN : Double.parseDouble(r.get("allocBytes")) / runs, mode ? "<= 100 B" : "");
  }

  private static void ratio(Results results, String subject, int n, String metric, long runs, long expected, String target) {
    double ratio = expected == 0 ? Double.NaN : (double) runs / expected;
    results.add(
        ID, subject, n, metric, String.format(Locale.ROOT, "%.4f (%,d / %,d)", ratio, runs, expected), ratio, target);
  }

  // What one more service costs: the growth from the first size to this one, per added service.
  // The per-service figures above also carry the JVM's fixed growth (JIT code and arenas, GC data
  // structures, the heap G1 commits for the timer runs' garbage), spread over N; the slope does not.
  private static void marginal(Results results, int n1, Map<String, String> r1, int n2, Map<String, String> r2) {
    String subject = MODE + ", marginal " + String.format(Locale.ROOT, "%,d -> %,d", n1, n2);
    double added = n2 - n1;
    results.add(ID, subject, n2, "retained heap bytes / added service",
        (Double.parseDouble(r2.get("heapBytes")) - Double.parseDouble(r1.get("heapBytes"))) / added, "<= 1,024");
    results.add(ID, subject, n2, "RSS bytes / added service",
        (Double.parseDouble(r2.get("rssBytes")) - Double.parseDouble(r1.get("rssBytes"))) / added, "<= 2,048");
  }

  /** Runs {@link W2Child} for {@code n} timers of {@code subject} and returns its RESULT line as key/value pairs. */
  static Map<String, String> runChild(BenchConfig config, int n, String subject) throws IOException, InterruptedException {
    return ChildJvm.run(
        config, W2Child.class, "W2 " + subject + " n=" + n, Integer.toString(n), Double.toString(config.w2Seconds()), subject);
  }
}
