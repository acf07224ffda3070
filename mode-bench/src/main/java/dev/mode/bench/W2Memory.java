package dev.mode.bench;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/**
 * W2: memory of idle services with a timer. For each N, a fresh child JVM ({@link W2Child}) builds a
 * tree of N services each with a 1 s {@code @Timer}, starts it, watches the timers for a window,
 * then measures heap after GC and resident set size against its own baseline taken before the tree
 * was built. A child per N keeps one measurement's heap growth out of the next one's RSS.
 */
final class W2Memory implements Workload {
  static final String ID = "W2";
  static final String MODE = "Mode, 1 s @Timer each";

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
      Map<String, String> r = runChild(config, n);
      if (first == null) {
        firstN = n;
        first = r;
      } else if (n != firstN) {
        marginal(results, firstN, first, n, r);
      }
      double heapPer = Double.parseDouble(r.get("heapBytes")) / n;
      double rssPer = Double.parseDouble(r.get("rssBytes")) / n;
      long runs = Long.parseLong(r.get("runs"));
      long expected = Long.parseLong(r.get("expected"));
      results.add(ID, MODE, n, "retained heap bytes / service", heapPer, "<= 1,024");
      results.add(ID, MODE, n, "RSS bytes / service", rssPer, "<= 2,048");
      results.add(ID, MODE, n, "start ms", Double.parseDouble(r.get("startMs")), "");
      results.add(ID, MODE, n, "stop ms", Double.parseDouble(r.get("stopMs")), "");
      double ratio = expected == 0 ? Double.NaN : (double) runs / expected;
      results.add(
          ID, MODE, n, "timer runs / expected",
          String.format(Locale.ROOT, "%.4f (%,d / %,d)", ratio, runs, expected), ratio, "every run due runs");
      results.add(ID, MODE, n, "timer lateness p50 ms", Double.parseDouble(r.get("p50Ms")), "");
      results.add(ID, MODE, n, "timer lateness p99 ms", Double.parseDouble(r.get("p99Ms")), "");
      results.add(ID, MODE, n, "timer lateness max ms", Double.parseDouble(r.get("maxMs")), "");
      results.add(ID, MODE, n, "first runs (cold JIT): lateness p99 ms", Double.parseDouble(r.get("firstP99Ms")), "");
      results.add(ID, MODE, n, "first runs (cold JIT): lateness max ms", Double.parseDouble(r.get("firstMaxMs")), "");
      String steady = "runs " + W2Child.STEADY_FROM_RUN + "+ of each timer: ";
      results.add(ID, MODE, n, steady + "lateness p50 ms", Double.parseDouble(r.get("steadyP50Ms")), "");
      results.add(ID, MODE, n, steady + "lateness p99 ms", Double.parseDouble(r.get("steadyP99Ms")), "");
      results.add(ID, MODE, n, steady + "lateness max ms", Double.parseDouble(r.get("steadyMaxMs")), "on time: < 300 ms");
      results.add(ID, MODE, n, "runs Mode counted late (drift >= 300 ms)", Double.parseDouble(r.get("lateRuns")), "");
      double cpuMs = Double.parseDouble(r.get("cpuMs"));
      double windowMs = Double.parseDouble(r.get("windowMs"));
      results.add(ID, MODE, n, "process CPU in window, cores busy", cpuMs / windowMs, "");
      results.add(ID, MODE, n, "process CPU us / timer run", runs == 0 ? Double.NaN : cpuMs * 1000 / runs, "");
      results.add(ID, MODE, n, "heap allocated in window, bytes / timer run",
          runs == 0 ? Double.NaN : Double.parseDouble(r.get("allocBytes")) / runs, "");
    }
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

  /** Runs {@link W2Child} for {@code n} services and returns its RESULT line as key/value pairs. */
  static Map<String, String> runChild(BenchConfig config, int n) throws IOException, InterruptedException {
    return ChildJvm.run(config, W2Child.class, "W2 n=" + n, Integer.toString(n), Double.toString(config.w2Seconds()));
  }
}
