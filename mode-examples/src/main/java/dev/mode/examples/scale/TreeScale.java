package dev.mode.examples.scale;

import dev.mode.Service;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts and stops a balanced tree (fan-out 10) of N trivial services and prints the wall time of
 * each, and the live threads (platform and virtual) before, while running and after. Logging is
 * at WARN, as a production service tree would run.
 *
 * <pre>
 * ./build.sh mvn -q -DskipTests -pl mode-examples -am package
 * java -cp "$(cat mode-examples/target/classpath.txt):mode-examples/target/classes" \
 *     dev.mode.examples.scale.TreeScale 10000 5 [tasks]
 * </pre>
 *
 * With {@code tasks}, every service runs a task that sleeps until the service stops.
 */
public final class TreeScale {
  private TreeScale() {}

  static final class Leaf extends Service {}

  /** A service whose task parks until the service stops: one virtual thread per service. */
  static final class Worker extends Service {
    @dev.mode.Task
    void idle() {
      sleep(java.time.Duration.ofDays(1));
    }
  }

  /** A balanced tree of {@code n} services with fan-out 10 (each with a task if asked); the root. */
  static Service tree(int n, boolean tasks) {
    List<Service> all = new ArrayList<>(n);
    Service root = tasks ? new Worker() : new Leaf();
    all.add(root);
    for (int i = 1; i < n; i++) {
      Service s = tasks ? new Worker() : new Leaf();
      all.get((i - 1) / 10).addDependency(s);
      all.add(s);
    }
    return root;
  }

  public static void main(String[] args) {
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    boolean tasks = args.length > 2 && args[2].equals("tasks");
    for (int round = 0; round <= rounds; round++) {
      Service root = tree(n, tasks);
      int before = liveThreads(mx, root);
      long t0 = System.nanoTime();
      root.start();
      long t1 = System.nanoTime();
      int during = liveThreads(mx, root);
      root.stop();
      long t2 = System.nanoTime();
      int after = liveThreads(mx, root);
      System.out.printf(
          "%s n=%d start=%.2f ms stop=%.2f ms threads before=%d running=%d after=%d state=%s%n",
          round == 0 ? "warm-up" : "round " + round,
          n,
          (t1 - t0) / 1e6,
          (t2 - t1) / 1e6,
          before,
          during,
          after,
          root.state());
    }
  }

  // platform threads from the JVM, plus the tree's virtual threads (which the JVM does not list)
  private static int liveThreads(java.lang.management.ThreadMXBean mx, Service root) {
    int virtual = 0;
    for (Service s : dev.mode.graph.DependencyGraph.of(root).services()) virtual += s.threads().size();
    return mx.getThreadCount() + virtual;
  }
}
