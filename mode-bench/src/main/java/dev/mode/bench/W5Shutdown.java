package dev.mode.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * W5: SIGTERM to process exit, measured from outside. For each log level, R times: a child JVM (the
 * same JDK, this class path, the JDK's default flags) runs {@link W5Child}, a {@code Worker} with N
 * trivial services; once the child prints that every service has started and has then idled for
 * half a second, the harness sends SIGTERM ({@code ProcessHandle.destroy()}, which on Linux is
 * SIGTERM and, unlike {@code Process.destroy()}, leaves the pipes open so that the child's last log
 * lines are still read) and times until the process has exited. The time includes the Worker's stop
 * of every service, logging, and the JVM's exit (shutdown hooks, unloading); the child's standard
 * output is read all along so that it never blocks on a full pipe.
 */
final class W5Shutdown implements Workload {
  static final String ID = "W5";
  static final String MEDIAN = "SIGTERM -> exit ms (median / best)";
  static final String WORKER_STOP = "Worker's own \"Stopped in\" ms (median)";
  private static final Pattern STOPPED = Pattern.compile("\\[\\^Worker]: Stopped in ([0-9.]+) ms");
  private static final long IDLE_BEFORE_SIGNAL_MS = 500;

  static String subject(String level) {
    return "Mode Worker, --loglevel " + level;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String title() {
    return "SIGTERM to process exit of a Worker with N trivial services, from outside";
  }

  @Override
  public void run(BenchConfig config, Results results) throws Exception {
    int n = config.w5Services();
    Path dir = java.nio.file.Files.createTempDirectory("mode-bench-w5");
    try {
      run(config, results, n, childClassPath(dir));
    } finally {
      deleteTree(dir);
    }
  }

  private static void run(BenchConfig config, Results results, int n, String classPath) throws Exception {
    for (String level : List.of("warn", "info")) {
      double[] ms = new double[config.w5Runs()];
      List<Double> workerMs = new ArrayList<>();
      for (int i = 0; i < ms.length; i++) {
        Outcome o = runOnce(n, level, classPath);
        ms[i] = o.exitMillis;
        if (!Double.isNaN(o.workerStopMillis)) workerMs.add(o.workerStopMillis);
        System.err.printf(Locale.ROOT, "W5 %s run %d: SIGTERM -> exit %.1f ms (exit code %d, Worker said stopped in %s ms)%n",
            level, i + 1, o.exitMillis, o.exitCode, Double.isNaN(o.workerStopMillis) ? "-" : Results.format(o.workerStopMillis));
      }
      double median = Stats.median(ms);
      results.add(ID, subject(level), n, MEDIAN,
          Results.format(median) + " / " + Results.format(Stats.best(ms)) + " (" + ms.length + (ms.length == 1 ? " run)" : " runs)"),
          median,
          "<= 200 ms");
      if (!workerMs.isEmpty()) {
        double w = Stats.median(workerMs.stream().mapToDouble(Double::doubleValue).toArray());
        results.add(ID, subject(level), n, WORKER_STOP, w, "");
      }
    }
  }

  /** One child's figures: the SIGTERM-to-exit time, its exit code, the Worker's logged stop time (or NaN). */
  record Outcome(double exitMillis, int exitCode, double workerStopMillis) {}

  static Outcome runOnce(int n, String level, String classPath) throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> cmd = List.of(java, "-cp", classPath, W5Child.class.getName(),
        Integer.toString(n), "--loglevel", level);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    CountDownLatch ready = new CountDownLatch(1);
    StringBuffer head = new StringBuffer();
    double[] workerStop = {Double.NaN};
    Thread pump = Thread.ofPlatform().daemon().name("w5-pump").start(() -> pump(p.getInputStream(), ready, head, workerStop));
    try {
      if (!ready.await(120, TimeUnit.SECONDS)) {
        throw new IllegalStateException("W5 child (" + n + " services) did not start within 120 s; its output:\n" + head);
      }
      Thread.sleep(IDLE_BEFORE_SIGNAL_MS); // an idle program gets the signal, not one still finishing its start
      long t0 = System.nanoTime();
      p.toHandle().destroy(); // SIGTERM on Linux; the pipes stay open
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        throw new IllegalStateException("W5 child did not exit within 120 s of SIGTERM; its output:\n" + head);
      }
      double ms = (System.nanoTime() - t0) / 1e6;
      pump.join(10_000);
      return new Outcome(ms, p.exitValue(), workerStop[0]);
    } finally {
      if (p.isAlive()) p.destroyForcibly().waitFor();
    }
  }

  /**
   * This JVM's class path without the harness's own directories (whose logback.xml or
   * logback-test.xml would configure logging, and then the Worker leaves it alone and --loglevel has
   * no effect), plus a directory holding only W5Child's classes: the child logs as a real Worker
   * program does.
   */
  static String childClassPath(Path dir) throws IOException {
    for (Class<?> c : List.of(W5Child.class, W5Child.Trivial.class, W5Child.ReadyMarker.class)) {
      String file = c.getName().replace('.', '/') + ".class";
      Path to = dir.resolve(file);
      java.nio.file.Files.createDirectories(to.getParent());
      try (InputStream in = W5Shutdown.class.getClassLoader().getResourceAsStream(file)) {
        if (in == null) throw new IOException("class file " + file + " not found on the class path");
        java.nio.file.Files.copy(in, to);
      }
    }
    List<String> entries = new ArrayList<>();
    entries.add(dir.toString());
    for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      Path p = Path.of(e);
      boolean hasLogging = java.nio.file.Files.isDirectory(p)
          && (java.nio.file.Files.exists(p.resolve("logback.xml")) || java.nio.file.Files.exists(p.resolve("logback-test.xml")));
      if (!hasLogging) entries.add(e);
    }
    return String.join(java.io.File.pathSeparator, entries);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = java.nio.file.Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) java.nio.file.Files.deleteIfExists(p);
    }
  }

  private static void pump(InputStream in, CountDownLatch ready, StringBuffer head, double[] workerStop) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.contains(W5Child.READY)) ready.countDown();
        Matcher m = STOPPED.matcher(line);
        if (m.find()) workerStop[0] = Double.parseDouble(m.group(1));
        if (head.length() < 8000) head.append(line).append('\n');
      }
    } catch (IOException e) {
      // the child has exited
    }
  }
}
