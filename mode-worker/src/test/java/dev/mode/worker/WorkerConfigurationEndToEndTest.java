package dev.mode.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration and signals as an operator meets them: a real process given environment variables,
 * a {@code --config} file, an {@code @argfile}, secret files, and SIGHUP.
 */
class WorkerConfigurationEndToEndTest {
  static final String TOKEN = "tok-0123456789-abcdef";

  @Test
  void theCommandLineWinsOverTheEnvironmentWhichWinsOverTheFile(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("app.properties"),
        "shutdown-timeout=7s\nloglevel=debug\ndb-url=jdbc:from-file\npool-size=3\n");
    Map<String, String> env = Map.of("MODE_SHUTDOWN_TIMEOUT", "9s", "MODE_POOL_SIZE", "12", "MODE_CONFIG", file.toString());
    try (WorkerProcess p = WorkerProcess.startWithEnvironment(env, "settings")) {
      assertThat(p.awaitExit()).as("exit code; output:\n%s%s", p.out(), p.err()).isZero();
      assertThat(p.out())
          .contains("  shutdown timeout   9s")       // environment over file
          .contains("  log                debug to") // file over default
          .contains("settings: db-url=jdbc:from-file pool-size=12 cache-ttl=1m"); // the program's own keys
    }
    try (WorkerProcess p = WorkerProcess.startWithEnvironment(env, "settings", "--shutdown-timeout", "11s")) {
      assertThat(p.awaitExit()).isZero();
      assertThat(p.out()).contains("  shutdown timeout   11s");
    }
  }

  @Test
  void aProgramSettingWithABadValueNamesItsVariable() throws Exception {
    try (WorkerProcess p = WorkerProcess.startWithEnvironment(Map.of("MODE_POOL_SIZE", "ten"), "settings")) {
      assertThat(p.awaitExit()).isEqualTo(Worker.EXIT_CRASH);
      assertThat(p.out()).contains("Invalid value for MODE_POOL_SIZE (environment): \"ten\"; accepted: a whole number such as 10");
    }
  }

  @Test
  void aBadValueFromTheEnvironmentStartsNothingAndExitsTwo() throws Exception {
    try (WorkerProcess p = WorkerProcess.startWithEnvironment(Map.of("MODE_LOGLEVEL", "loud"), "tree")) {
      assertThat(p.awaitExit()).isEqualTo(Worker.EXIT_USAGE);
      assertThat(p.err().strip())
          .isEqualTo("Error: Invalid value for MODE_LOGLEVEL (environment): 'loud' is not a log level;"
              + " use debug, info, warn or error (any case)");
      assertThat(p.out()).doesNotContain("Starting...");
    }
  }

  @Test
  void extensionOptionsComeFromTheEnvironmentAndArgfilesAsWell(@TempDir Path dir) throws Exception {
    try (WorkerProcess p = WorkerProcess.startWithEnvironment(Map.of("MODE_GREETING", "from-env"), "tree")) {
      p.awaitOut("Greeting: from-env");
      p.signal("TERM");
      assertThat(p.awaitExit()).isZero();
    }
    Path args = Files.writeString(dir.resolve("worker.args"), "--greeting from-argfile\n--shutdown-timeout 5s\n");
    try (WorkerProcess p = WorkerProcess.start("tree", "@" + args)) {
      p.awaitOut("Greeting: from-argfile");
      assertThat(p.out()).contains("  shutdown timeout   5s");
      p.signal("TERM");
      assertThat(p.awaitExit()).isZero();
    }
  }

  @Test
  void sighupStopsGracefullyLikeSigterm() throws Exception {
    try (WorkerProcess p = WorkerProcess.start("tree")) {
      p.awaitOut("[^Worker]: Ready");
      p.signal("HUP");
      assertThat(p.awaitExit()).as("exit code; output:\n%s", p.out()).isZero();
      List<String> stop = p.lines().stream().filter(l -> l.contains("Stopp")).map(l -> l.substring(l.indexOf("]: ") + 3)).toList();
      assertThat(stop).startsWith("[^Worker]: Stopping on signal received...", "[^Worker]: Stopping...");
      assertThat(p.out()).contains("[^--Cache]: Stopped", "[^-App]: Stopped", "[^Worker]: Exiting with code 0");
    }
  }

  @Test
  void theConsoleTokenComesFromAFileWithoutItsNewlineAndIsNeverPrinted(@TempDir Path dir) throws Exception {
    Path tokenFile = Files.writeString(dir.resolve("console-token"), TOKEN + "\n");
    try (WorkerProcess p = WorkerProcess.start("tree", "--console-port", "0", "--console-token-file", tokenFile.toString())) {
      p.awaitOut("[^Worker]: Ready");
      Matcher m = Pattern.compile("Console listening on 127\\.0\\.0\\.1:(\\d+)").matcher(p.out());
      assertThat(m.find()).as("console port in:\n%s", p.out()).isTrue();
      try (Socket s = new Socket("127.0.0.1", Integer.parseInt(m.group(1)))) {
        s.setSoTimeout(10_000);
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8);
        out.println(TOKEN);
        out.println("stop Worker");
        StringBuilder seen = new StringBuilder();
        for (String line; (line = in.readLine()) != null && !seen.toString().contains("Stopping the Worker."); ) {
          seen.append(line).append('\n');
        }
        assertThat(seen).as("the console accepted the token").contains("Stopping the Worker.");
      }
      assertThat(p.awaitExit()).isZero();
      assertThat(p.out() + p.err()).doesNotContain(TOKEN);
    }
  }

  @Test
  void aTokenFromTheEnvironmentNeverAppearsInTheBannerTheLogOrHelp() throws Exception {
    Map<String, String> env = Map.of("MODE_CONSOLE_TOKEN", TOKEN, "MODE_CONSOLE_PORT", "0", "MODE_LOGLEVEL", "debug");
    try (WorkerProcess p = WorkerProcess.startWithEnvironment(env, "tree")) {
      p.awaitOut("[^Worker]: Ready");
      assertThat(p.out()).contains("Console listening on 127.0.0.1:");
      p.signal("TERM");
      assertThat(p.awaitExit()).isZero();
      assertThat(p.out() + p.err()).doesNotContain(TOKEN);
    }
    try (WorkerProcess p = WorkerProcess.startWithEnvironment(env, "tree", "--help")) {
      assertThat(p.awaitExit()).isZero();
      assertThat(p.out()).contains("MODE_CONSOLE_TOKEN").doesNotContain(TOKEN);
    }
  }
}
