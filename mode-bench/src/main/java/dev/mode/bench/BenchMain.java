package dev.mode.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark harness: {@code ./build.sh bench [options]} runs the chosen workloads and prints one
 * table; {@code ./build.sh bench jmh [JMH options]} runs the JMH microbenchmarks. See
 * docs/performance.md.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measures Mode for Java side by side with Guava's ServiceManager and the JDK's"
          + " ScheduledThreadPoolExecutor, prints a table and writes table.md, results.csv, w1.png and w2.png to --out.",
      "Workloads: W1 start/stop of N services; W2 memory and timers of N idle services with a 1 s timer;"
          + " W3 precision of 10 ms timers; W4 restart latency under a supervisor;"
          + " W5 SIGTERM to exit of a Worker, from outside; W6 stop of N services each with a sleeping task;"
          + " W7 CPU and allocation of one empty timer run.",
      "`bench jmh [JMH options]` runs the JMH microbenchmarks instead (short settings; `bench jmh -h` for JMH's options)."
    })
public final class BenchMain implements Callable<Integer> {

  /** Every workload, by id, in the order they run. */
  static Map<String, Workload> workloads() {
    Map<String, Workload> all = new LinkedHashMap<>();
    for (Workload w : List.of(new W1StartStop(), new W2Memory(), new W3TimerPrecision(), new W4RestartLatency(), new W5Shutdown(), new W6StopSleepingTasks(), new W7TimerRunCost())) all.put(w.id(), w);
    return all;
  }

  @Option(
      names = {"-w", "--workloads"},
      split = ",",
      paramLabel = "ID",
      description = "Workloads to run, comma-separated (default: all): ${COMPLETION-CANDIDATES}",
      completionCandidates = WorkloadIds.class)
  List<String> workloads = new ArrayList<>();

  @Option(names = "--smoke", description = "Tiny sizes and short windows: checks that the harness works; measures nothing.")
  boolean smoke;

  @Option(
      names = "--baselines",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Measure Guava (W1, W2), ScheduledThreadPoolExecutor (W3) and Netty (W2) beside Mode (default: true; --no-baselines: Mode only).")
  boolean baselines = true;

  @Option(names = "--runs", description = "Measured runs per W1 point (default: ${DEFAULT-VALUE}).")
  int runs = 5;

  @Option(names = "--warmups", description = "Warm-up runs per W1 point (default: ${DEFAULT-VALUE}).")
  int warmups = 2;

  @Option(names = "--w1-sizes", split = ",", paramLabel = "N", description = "W1 sizes (default: 1000,10000,100000).")
  List<Integer> w1Sizes = List.of(1_000, 10_000, 100_000);

  @Option(names = "--w2-sizes", split = ",", paramLabel = "N", description = "W2 sizes (default: 10000,100000,1000000).")
  List<Integer> w2Sizes = List.of(10_000, 100_000, 1_000_000);

  @Option(names = "--w2-seconds", description = "How long W2 watches its timers (default: ${DEFAULT-VALUE}).")
  double w2Seconds = 10;

  @Option(names = "--w3-services", description = "Services (and STPE tasks) in W3 (default: ${DEFAULT-VALUE}).")
  int w3Services = 100;

  @Option(names = "--w3-seconds", description = "Seconds each W3 subject runs (default: ${DEFAULT-VALUE}).")
  double w3Seconds = 10;

  @Option(names = "--w4-crashes", description = "Measured crashes in W4, cold and warm, the first included (default: ${DEFAULT-VALUE}).")
  int w4Crashes = 200;

  @Option(names = "--w4-warmups", description = "Warm-up crashes in W4, on another supervisor (default: ${DEFAULT-VALUE}).")
  int w4Warmups = 3000;

  @Option(names = "--w5-services", description = "Services in W5's Worker (default: ${DEFAULT-VALUE}).")
  int w5Services = 10_000;

  @Option(names = "--w5-runs", description = "Child JVMs W5 signals per log level (default: ${DEFAULT-VALUE}).")
  int w5Runs = 5;

  @Option(names = "--w6-services", description = "Services in W6's tree, each with a sleeping task (default: ${DEFAULT-VALUE}).")
  int w6Services = 10_000;

  @Option(names = "--w6-rounds", description = "Measured stops per W6 subject, after one warm-up (default: ${DEFAULT-VALUE}).")
  int w6Rounds = 5;

  @Option(
      names = "--child-jvm-args",
      split = " ",
      paramLabel = "ARGS",
      description = "JVM options for W2's child JVMs, space-separated (default: none).")
  List<String> childJvmArgs = new ArrayList<>();

  @Option(names = "--out", description = "Where to write table.md, results.csv, w1.png and w2.png (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("mode-bench", "target", "bench");

  static final class WorkloadIds extends ArrayList<String> {
    private static final long serialVersionUID = 1L;

    WorkloadIds() {
      super(workloads().keySet());
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("jmh")) {
      jmh(List.of(args).subList(1, args.length));
      return;
    }
    System.exit(new CommandLine(new BenchMain()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
  }

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  // rejects values no workload can run with, naming the option, the value and what is accepted
  private void validate() {
    require(runs >= 1, "--runs", runs, "a whole number >= 1");
    require(warmups >= 0, "--warmups", warmups, "a whole number >= 0");
    for (int n : w1Sizes) require(n >= 1, "--w1-sizes", n, "whole numbers >= 1, comma-separated");
    for (int n : w2Sizes) require(n >= 1, "--w2-sizes", n, "whole numbers >= 1, comma-separated");
    require(w2Seconds > 0, "--w2-seconds", w2Seconds, "a number of seconds > 0");
    require(w3Services >= 1, "--w3-services", w3Services, "a whole number >= 1");
    require(w3Seconds > 0, "--w3-seconds", w3Seconds, "a number of seconds > 0");
    require(w4Crashes >= 1, "--w4-crashes", w4Crashes, "a whole number >= 1");
    require(w4Warmups >= 0, "--w4-warmups", w4Warmups, "a whole number >= 0");
    require(w5Services >= 1, "--w5-services", w5Services, "a whole number >= 1");
    require(w5Runs >= 1, "--w5-runs", w5Runs, "a whole number >= 1");
    require(w6Services >= 1, "--w6-services", w6Services, "a whole number >= 1");
    require(w6Rounds >= 1, "--w6-rounds", w6Rounds, "a whole number >= 1");
  }

  private void require(boolean ok, String option, Object value, String accepted) {
    if (!ok) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "Invalid value '" + value + "' for " + option + ": use " + accepted);
    }
  }

  @Override
  public Integer call() throws Exception {
    validate();
    BenchConfig config =
        smoke
            ? BenchConfig.smoke(out)
            : new BenchConfig(false, baselines, runs, warmups, w1Sizes, w2Sizes, w2Seconds, w3Services, w3Seconds,
                w4Crashes, w4Warmups, w5Services, w5Runs, w6Services, w6Rounds, childJvmArgs, out);
    List<Workload> chosen = choose(workloads);
    System.out.println(machine());
    System.out.println("Load average at start: " + loadAverage());
    Results results = runAll(config, chosen);
    System.out.println("Load average at end: " + loadAverage());
    System.out.println();
    System.out.print(results.table());
    results.write(config.out());
    Path plot = config.out().resolve("w1.png");
    if (Plots.w1(results, plot)) System.out.println("\nPlot: " + plot);
    Path plot2 = config.out().resolve("w2.png");
    if (Plots.w2(results, plot2)) System.out.println("Plot: " + plot2);
    System.out.println("Table and CSV: " + config.out().resolve("table.md") + ", " + config.out().resolve("results.csv"));
    return 0;
  }

  /** Runs {@code chosen} in order, logging progress to standard error. */
  static Results runAll(BenchConfig config, List<Workload> chosen) throws Exception {
    Results results = new Results();
    for (Workload w : chosen) {
      long t0 = System.nanoTime();
      System.err.printf(Locale.ROOT, "%s: %s...%n", w.id(), w.title());
      w.run(config, results);
      System.err.printf(Locale.ROOT, "%s: done in %.1f s%n", w.id(), (System.nanoTime() - t0) / 1e9);
    }
    return results;
  }

  static List<Workload> choose(List<String> ids) {
    Map<String, Workload> all = workloads();
    if (ids.isEmpty()) return List.copyOf(all.values());
    List<Workload> out = new ArrayList<>();
    for (String id : ids) {
      Workload w = all.get(id.strip().toUpperCase(Locale.ROOT));
      if (w == null) {
        throw new CommandLine.ParameterException(
            new CommandLine(new BenchMain()),
            "Unknown workload '" + id + "': use one or more of " + String.join(", ", all.keySet()) + ", comma-separated");
      }
      out.add(w);
    }
    return out;
  }

  /** The 1, 5 and 15 minute load averages (Linux): other work on the machine skews every number. */
  static String loadAverage() {
    try {
      String[] f = java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (java.io.IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** The machine, JDK and flags a table was measured on. */
  static String machine() {
    Runtime rt = Runtime.getRuntime();
    String memTotal = "?";
    try {
      for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) memTotal = line.substring(9).trim();
      }
    } catch (java.io.IOException e) {
      memTotal = "unknown";
    }
    return String.format(
        Locale.ROOT,
        "Machine: %d cores, MemTotal %s, %s %s; JDK %s (%s); max heap %d MiB; JVM flags %s",
        rt.availableProcessors(),
        memTotal,
        System.getProperty("os.name"),
        System.getProperty("os.arch"),
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        rt.maxMemory() / (1024 * 1024),
        ManagementFactory.getRuntimeMXBean().getInputArguments());
  }

  /**
   * {@code bench jmh [JMH options]}: the microbenchmarks of dev.mode.bench.jmh, with short settings (1
   * fork, 3 warm-up and 5 measured iterations of 1 s); options given after {@code jmh} override them
   * ({@code jmh -h} lists JMH's options, {@code jmh -l} the benchmarks, {@code jmh StartStop} runs those
   * matching a pattern).
   */
  static void jmh(List<String> args) throws Exception {
    List<String> all = new ArrayList<>();
    for (int i = 0; i < JMH_DEFAULTS.size(); i += 2) {
      if (!args.contains(JMH_DEFAULTS.get(i))) all.addAll(JMH_DEFAULTS.subList(i, i + 2));
    }
    all.addAll(args);
    org.openjdk.jmh.Main.main(all.toArray(String[]::new));
  }

  /** Flag and value pairs, each used unless the command line gives that flag. */
  static final List<String> JMH_DEFAULTS = List.of("-f", "1", "-wi", "3", "-w", "1s", "-i", "5", "-r", "1s");
}
