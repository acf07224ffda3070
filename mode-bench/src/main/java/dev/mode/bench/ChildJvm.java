package dev.mode.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a measurement in a fresh JVM (the same {@code java}, this class path, {@code --child-jvm-args})
 * and reads back the one {@code RESULT key=value ...} line it prints. A fresh JVM keeps one
 * measurement's heap growth and JIT state out of the next one.
 */
final class ChildJvm {
  static final String RESULT = "RESULT";

  private ChildJvm() {}

  /** Runs {@code main} with {@code args} in a child JVM and returns its RESULT line as key/value pairs. */
  static Map<String, String> run(BenchConfig config, Class<?> main, String what, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(config.childJvmArgs());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    Map<String, String> out = new HashMap<>();
    List<String> other = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.startsWith(RESULT)) {
          for (String kv : line.substring(RESULT.length()).trim().split("\\s+")) {
            int eq = kv.indexOf('=');
            out.put(kv.substring(0, eq), kv.substring(eq + 1));
          }
        } else {
          other.add(line);
        }
      }
    }
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException(what + " child did not exit within 10 minutes");
    }
    if (p.exitValue() != 0 || out.isEmpty()) {
      throw new IllegalStateException(
          what + " child failed with exit code " + p.exitValue() + "; its output: " + other);
    }
    return out;
  }
}
