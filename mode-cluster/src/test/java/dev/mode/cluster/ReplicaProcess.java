package dev.mode.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One {@link ClusterTestApp} replica in its own JVM: output collected, signals, bounded waits. */
final class ReplicaProcess implements AutoCloseable {
  final String node;
  final Process process;
  private final StringBuffer out = new StringBuffer();

  private ReplicaProcess(String node, Process process) {
    this.node = node;
    this.process = process;
    Thread.ofVirtual().start(() -> pump(process.getInputStream()));
  }

  static ReplicaProcess start(String node, String db, String user, String password, List<String> jvmArgs, String... workerArgs) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:+UseSerialGC", "-Xmx128m"));
    cmd.addAll(jvmArgs);
    cmd.add("-Dnode=" + node);
    cmd.add("-DdbUser=" + user);
    cmd.add("-DdbPassword=" + password);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(ClusterTestApp.class.getName());
    cmd.add(db);
    cmd.addAll(List.of(workerArgs));
    return new ReplicaProcess(node, new ProcessBuilder(cmd).redirectErrorStream(true).start());
  }

  private void pump(InputStream in) {
    byte[] buf = new byte[8192];
    try (in) {
      for (int n; (n = in.read(buf)) > 0; ) out.append(new String(buf, 0, n, StandardCharsets.UTF_8));
    } catch (IOException e) {
      // the process ended
    }
  }

  String out() {
    return out.toString();
  }

  /** Epoch ms of each "LEADER WHAT node ms" line, in order. */
  List<Long> marks(String what) {
    List<Long> at = new ArrayList<>();
    Matcher m = Pattern.compile("LEADER " + what + " " + Pattern.quote(node) + " (\\d+)").matcher(out());
    while (m.find()) at.add(Long.parseLong(m.group(1)));
    return at;
  }

  void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).as("kill -%s returned", name).isTrue();
    assertThat(kill.exitValue()).as("kill -%s %s", name, node).isZero();
  }

  int awaitExit(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(node + " did not exit within " + seconds + " s; output:\n" + out());
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
