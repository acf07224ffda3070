package dev.mode.bench;

/**
 * One benchmark workload of the harness (W1, W2, ...): measures Mode for Java and, in the same run,
 * the baselines it is compared with, and adds its numbers to {@link Results}. Workloads run one after
 * another on the calling thread; each cleans up what it started before it returns.
 */
interface Workload {
  /** Short id used on the command line: {@code W1}. */
  String id();

  /** One line saying what is measured. */
  String title();

  /** Runs the workload with {@code config} and records every number in {@code results}. */
  void run(BenchConfig config, Results results) throws Exception;
}
