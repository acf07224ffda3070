package dev.mode.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * Settings for one harness run, built from the command line by {@link BenchMain}. {@link #smoke()}
 * shrinks every workload to a tiny size so that a test can run them all in seconds.
 *
 * @param smoke tiny sizes and short windows: checks that the harness works, measures nothing
 * @param baselines also measure Guava (W1) and ScheduledThreadPoolExecutor (W3) beside Mode
 * @param runs measured repetitions per point (W1)
 * @param warmups unmeasured repetitions per point before the measured ones (W1)
 * @param w1Sizes numbers of services for W1
 * @param w2Sizes numbers of services for W2
 * @param w2Seconds how long W2 watches its timers
 * @param w3Services services (and STPE tasks) in W3
 * @param w3Seconds how long W3 runs each subject
 * @param w4Crashes measured crashes in W4 (the first crash of a fresh supervisor among them)
 * @param w4Warmups unmeasured crashes in W4, on another supervisor, before the measured ones
 * @param w5Services services in W5's Worker
 * @param w5Runs child JVMs W5 signals per log level
 * @param w6Services services in W6's tree, each with one sleeping task
 * @param w6Rounds measured stops per W6 subject
 * @param childJvmArgs JVM options for the child JVMs that W2 starts
 * @param out directory for table.md, results.csv and the plot
 */
record BenchConfig(
    boolean smoke,
    boolean baselines,
    int runs,
    int warmups,
    List<Integer> w1Sizes,
    List<Integer> w2Sizes,
    double w2Seconds,
    int w3Services,
    double w3Seconds,
    int w4Crashes,
    int w4Warmups,
    int w5Services,
    int w5Runs,
    int w6Services,
    int w6Rounds,
    List<String> childJvmArgs,
    Path out) {

  /** The tiny configuration the smoke test and {@code --smoke} use. */
  static BenchConfig smoke(Path out) {
    return new BenchConfig(true, true, 2, 1, List.of(10, 100), List.of(100), 1.5, 5, 0.5, 20, 5, 100, 1, 50, 2, List.of(), out);
  }
}
