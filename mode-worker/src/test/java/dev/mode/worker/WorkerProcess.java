package dev.mode.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@link TestApp} running in its own JVM, with the test's class path: its standard output and
 * error are collected as they come, it can be sent signals, and every wait is bounded.
 */
final class WorkerProcess implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(30);

  final Process process;
  private final StringBuffer out = new StringBuffer();
  private final StringBuffer err = new StringBuffer();
  private final List<Thread> pumps;

  private WorkerProcess(Process process) {
    this.process = process;
    this.pumps = List.of(pump(process.getInputStream(), out), pump(process.getErrorStream(), err));
  }

  /** Starts {@code TestApp args...}; {@code jvmArgs} go before the class name. */
  static WorkerProcess start(List<String> jvmArgs, String... args) throws IOException {
    return new WorkerProcess(command(jvmArgs, args).start());
  }

  /**
   * Starts {@code TestApp args...} with standard error sent into standard output's pipe, as a terminal
   * shows both: {@link #out()} then has every byte in the order the process wrote it.
   */
  static WorkerProcess startMerged(String... args) throws IOException {
    return new WorkerProcess(command(List.of(), args).redirectErrorStream(true).start());
  }

  private static ProcessBuilder command(List<String> jvmArgs, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-Xshare:auto");
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(TestApp.class.getName());
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd);
  }

  static WorkerProcess start(String... args) throws IOException {
    return start(List.of(), args);
  }

  /** Starts {@code TestApp args...} with {@code environment} added to this JVM's environment. */
  static WorkerProcess startWithEnvironment(Map<String, String> environment, String... args) throws IOException {
    ProcessBuilder pb = command(List.of(), args);
    pb.environment().putAll(environment);
    return new WorkerProcess(pb.start());
  }

  private static Thread pump(InputStream in, StringBuffer into) {
    return Thread.ofVirtual()
        .start(
            () -> {
              byte[] buf = new byte[8192];
              try (in) {
                for (int n; (n = in.read(buf)) > 0; ) into.append(new String(buf, 0, n, StandardCharsets.UTF_8));
              } catch (IOException e) {
                // the process ended
              }
            });
  }

  String out() {
    return out.toString();
  }

  String err() {
    return err.toString();
  }

  /** Waits until standard output contains {@code text}. */
  void awaitOut(String text) {
    await("standard output to contain \"" + text + "\"")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .failFast("the process ended; output:\n" + out() + err(), () -> !process.isAlive() && !out().contains(text))
        .until(() -> out().contains(text));
  }

  /** Waits until standard error contains {@code text}. */
  void awaitErr(String text) {
    await("standard error to contain \"" + text + "\"")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> err().contains(text));
  }

  /** Writes {@code line} and a newline to the process's standard input. */
  void send(String line) throws IOException {
    process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().flush();
  }

  void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).as("kill -%s returned", name).isTrue();
    assertThat(kill.exitValue()).as("kill -%s", name).isZero();
  }

  /** Waits for the exit and returns the code; fails (and kills the process) after {@link #WAIT}. */
  int awaitExit() throws InterruptedException {
    if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the process did not exit within " + WAIT + "; output:\n" + out() + err());
    }
    for (Thread p : pumps) p.join(Duration.ofSeconds(5)); // the last bytes
    return process.exitValue();
  }

  /** Standard output's lines, for order checks. */
  List<String> lines() {
    return List.of(out().split("\\R"));
  }

  @Override
  public void close() {
    if (process.isAlive()) process.destroyForcibly();
  }
}
