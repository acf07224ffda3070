package dev.mode.worker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures, from outside the process, the time from SIGTERM to exit of a Worker with N trivial
 * services: {@code java -cp TEST_CLASSPATH dev.mode.worker.ShutdownMeasure [N] [RUNS] [worker
 * options...]}. Spawns {@code TestApp many N}, waits until every service has started, sends SIGTERM
 * and times the exit; prints each run, the Worker's own "Stopped in" figure, and the median.
 */
public final class ShutdownMeasure {
  private static final Pattern STOPPED = Pattern.compile("\\[\\^Worker]: Stopped in ([0-9.]+) ms");

  private ShutdownMeasure() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    List<String> workerArgs = args.length > 2 ? Arrays.asList(args).subList(2, args.length) : List.of();
    List<Double> times = new ArrayList<>();
    for (int i = 1; i <= runs; i++) {
      List<String> cmd = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"),
          TestApp.class.getName(), "many", Integer.toString(n)));
      cmd.addAll(workerArgs);
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      CountDownLatch started = new CountDownLatch(1);
      StringBuilder tail = new StringBuilder();
      AtomicReference<String> workerStop = new AtomicReference<>("-");
      Thread pump = Thread.ofPlatform().start(() -> read(p.getInputStream(), started, tail, workerStop));
      if (!started.await(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("services not started within 120 s:\n" + tail);
      }
      // kill(1), not Process.destroy(): destroy also closes our end of the pipes, and the log after the
      // signal would be lost (the time includes starting kill, a few ms)
      long t0 = System.nanoTime();
      new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("no exit within 120 s of SIGTERM");
      }
      double ms = (System.nanoTime() - t0) / 1e6;
      pump.join(5000);
      times.add(ms);
      System.out.printf("run %d: SIGTERM -> exit %.0f ms (exit code %d; the Worker logged \"Stopped in %s ms\")%n",
          i, ms, p.exitValue(), workerStop.get());
    }
    List<Double> sorted = times.stream().sorted().toList();
    System.out.printf("%d services, %d runs, options %s: median %.0f ms, min %.0f ms, max %.0f ms%n",
        n, runs, workerArgs, sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1));
  }

  private static void read(InputStream in, CountDownLatch started, StringBuilder tail, AtomicReference<String> stop) {
    try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.contains("ALL-SERVICES-STARTED")) started.countDown();
        Matcher m = STOPPED.matcher(line);
        if (m.find()) stop.set(m.group(1));
        if (tail.length() < 4000) tail.append(line).append('\n');
      }
    } catch (IOException e) {
      // process ended
    }
  }
}
