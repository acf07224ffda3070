package dev.mode.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §7: the Worker as a user runs it, a real process with real signals, sockets and exit codes. */
class WorkerEndToEndTest {
  /** Python Mode's line shape: {@code [2026-11-21 15:47:12,159: INFO]: [^--Label]: message}. */
  static final Pattern MODE_LINE =
      Pattern.compile("\\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}: (DEBUG|INFO|WARN|ERROR)]: \\[\\^-*[\\w$.]+]: .*");

  @Test
  void sigtermStopsEveryServiceInReverseOrderAndExitsZero() throws Exception {
    try (WorkerProcess p = WorkerProcess.start("tree")) {
      p.awaitOut("[^Worker]: Ready");
      p.signal("TERM");
      assertThat(p.awaitExit()).as("exit code; output:\n%s", p.out()).isZero();
      List<String> stop = p.lines().stream().filter(l -> l.contains("Stopp")).map(WorkerEndToEndTest::message).toList();
      assertThat(stop)
          .containsExactly(
              "[^Worker]: Stopping on signal received...",
              "[^Worker]: Stopping...",
              "[^-App]: Stopping...",
              "[^--Web]: Stopping...",
              "[^--Web]: Stopped",
              "[^--Cache]: Stopping...",
              "[^--Cache]: Stopped",
              "[^-App]: Stopped",
              "[^Worker]: Stopped");
      assertThat(p.lines().stream().filter(l -> l.startsWith("[")))
          .as("every log line has Mode's shape")
          .allMatch(l -> MODE_LINE.matcher(l).matches());
    }
  }

  @Test
  void aSignalDuringTheStartStopsItBeforeTheNextServiceStarts() throws Exception {
    try (WorkerProcess p = WorkerProcess.start("slowstart")) {
      p.awaitOut("[^-SlowStart]: Starting...");
      p.signal("TERM");
      assertThat(p.awaitExit()).as("exit code; output:\n%s", p.out()).isZero();
      assertThat(p.out())
          .contains("[^Worker]: Stopping on signal received...")
          .contains("[^-SlowStart]: Stopped")
          .doesNotContain("[^-Never]: Starting...")
          .doesNotContain("[^Worker]: Ready");
    }
  }

  // "[...: INFO]: [^-App]: Stopped in 1.2 ms" -> "[^-App]: Stopped"
  private static String message(String line) {
    String m = line.substring(line.indexOf("]: ") + 3);
    return m.replaceAll(" in [0-9.]+ ms$", "");
  }

  @Test
  void aCrashingTaskStopsEverythingAndExitsOne() throws Exception {
    try (WorkerProcess p = WorkerProcess.start("crash")) {
      assertThat(p.awaitExit()).as("exit code; output:\n%s", p.out()).isEqualTo(1);
      assertThat(p.out())
          .contains("[^-Crasher]: Crashed reason=java.lang.IllegalStateException: boom from a task")
          .contains("[^Worker]: Stopped")
          .contains("[^Worker]: Exiting with code 1");
    }
  }

  @Test
  void aServiceCanAskForItsOwnExitCode() throws Exception {
    try (WorkerProcess p = WorkerProcess.start("exit3")) {
      assertThat(p.awaitExit()).as("exit code; output:\n%s", p.out()).isEqualTo(3);
      assertThat(p.out()).contains("exit code 3 requested by Worker/Exiter:askToExit").contains("[^Worker]: Stopped");
    }
  }

  @Test
  void anOutOfMemoryErrorExits71() throws Exception {
    try (WorkerProcess p = WorkerProcess.start(List.of("-Xmx64m"), "oom")) {
      assertThat(p.awaitExit()).as("exit code; output:\n%s", p.out()).isEqualTo(Worker.EXIT_OUT_OF_MEMORY);
      assertThat(p.out()).contains("Crashed reason=java.lang.OutOfMemoryError").contains("Exiting with code 71");
    }
  }

  @Test
  void helpListsEveryOptionAndExitsZero() throws Exception {
    try (WorkerProcess p = WorkerProcess.start("tree", "--help")) {
      assertThat(p.awaitExit()).isZero();
      assertThat(p.out())
          .contains("--loglevel=LEVEL", "--logfile=FILE", "--blocking-timeout=DURATION", "--console-port=PORT")
          .contains("--debug", "--quiet", "--shutdown-timeout=DURATION", "--help", "--version")
          .contains("--greeting=TEXT") // from the ServiceLoader extension
          .contains("Exit codes:")
          .doesNotContain("Starting...");
    }
  }

  @Test
  void aBadOptionValueExitsTwoWithTheValueNamedAndNoStackTrace() throws Exception {
    try (WorkerProcess p = WorkerProcess.start("tree", "--loglevel", "LOUD")) {
      assertThat(p.awaitExit()).isEqualTo(2);
      assertThat(p.err())
          .contains("Invalid value for option '--loglevel': 'LOUD' is not a log level; use debug, info, warn or error")
          .contains("Usage: worker")
          .doesNotContain("Exception:", "Exception in", "\tat ");
      assertThat(p.out()).doesNotContain("Starting...");
    }
    try (WorkerProcess p = WorkerProcess.start("tree", "--blocking-timeout=10/m")) {
      assertThat(p.awaitExit()).isEqualTo(2);
      assertThat(p.err()).contains("Invalid duration \"10/m\"").contains("250ms").doesNotContain("\tat ");
    }
    try (WorkerProcess p = WorkerProcess.start("tree", "--debg")) {
      assertThat(p.awaitExit()).isEqualTo(2);
      assertThat(p.err()).contains("Unknown option: '--debg'").contains("--debug");
    }
  }

  @Test
  void loglevelAcceptsAnyCaseInBothForms() throws Exception {
    try (WorkerProcess p = WorkerProcess.start("crash", "--loglevel", "WARN")) {
      assertThat(p.awaitExit()).isEqualTo(1);
      assertThat(p.out()).contains("Crashed reason=").doesNotContain("Starting...");
    }
    try (WorkerProcess p = WorkerProcess.start("crash", "--loglevel=Debug")) {
      assertThat(p.awaitExit()).isEqualTo(1);
      assertThat(p.out()).contains("DEBUG]: [^-Crasher]: Started in");
    }
  }

  @Test
  void sigusr1DumpsEachServicesVirtualThreadsUnderItsPathAndKeepsRunning() throws Exception {
    try (WorkerProcess p = WorkerProcess.start("tree")) {
      p.awaitOut("[^Worker]: Ready");
      p.signal("USR1");
      p.awaitErr("== threads no service owns");
      String dump = p.err();
      Matcher cache =
          Pattern.compile("== Worker/App/Cache \\[RUNNING]\\n  \"Worker/App/Cache:expire\" #\\d+ virtual TIMED_WAITING\\n"
                  + "(      at .*\\n)*      at dev\\.mode\\.worker\\.TestApp\\$Cache\\.expire")
              .matcher(dump);
      assertThat(cache.find()).as("Cache's task under Worker/App/Cache in:\n%s", dump).isTrue();
      assertThat(dump).contains("== Worker/App [RUNNING]\n  \"Worker/App:idle\"").contains("\"main\" #");
      assertThat(p.process.isAlive()).as("still running after the dump").isTrue();
      p.signal("TERM");
      assertThat(p.awaitExit()).isZero();
    }
  }

  @Test
  void consoleShowsTheTreeRestartsAServiceAndSuggestsTheClosestCommand() throws Exception {
    try (WorkerProcess p = WorkerProcess.start("tree", "--console-port", "0")) {
      p.awaitOut("[^Worker]: Ready");
      try (ConsoleClient c = new ConsoleClient(consolePort(p))) {
        c.readUntilPrompt();
        assertThat(c.send("tree")).containsPattern("\\n    Cache +RUNNING +up ").contains("  App ");
        assertThat(c.send("restart App/Cache")).contains("Restarted Worker/App/Cache: RUNNING");
        assertThat(c.send("tree")).containsPattern("Cache +RUNNING +up .* restarts=1");
        assertThat(c.send("tre")).contains("Unknown command 'tre'. Did you mean 'tree'?");
        assertThat(c.send("stack App/Cache")).contains("\"Worker/App/Cache:expire\"").contains("TestApp$Cache.expire");
        c.out.println("quit");
        assertThat(c.in.readLine()).isEqualTo("Bye.");
      }
      assertThat(p.out()).contains("[^--Cache]: Stopping...").contains("[^--Cache]: Starting...");
      p.signal("TERM");
      assertThat(p.awaitExit()).isZero();
    }
  }

  @Test
  void consoleWithATokenServesOnlyClientsThatSendIt() throws Exception {
    try (WorkerProcess p = WorkerProcess.start("tree", "--console-port", "0", "--console-token", "s3cret")) {
      p.awaitOut("[^Worker]: Ready");
      int port = consolePort(p);
      try (ConsoleClient c = new ConsoleClient(port)) {
        c.out.println("guess");
        assertThat(c.in.readLine()).isEqualTo("token: Wrong token; closing.");
        assertThat(c.in.readLine()).as("closed").isNull();
      }
      try (ConsoleClient c = new ConsoleClient(port)) {
        c.out.println("s3cret");
        c.readUntilPrompt();
        assertThat(c.send("stop Worker")).contains("Stopping the Worker.");
      }
      assertThat(p.awaitExit()).isZero();
      assertThat(p.out()).contains("[^Worker]: Stopping: requested from the console...");
    }
  }

  private static int consolePort(WorkerProcess p) {
    Matcher m = Pattern.compile("Console listening on 127\\.0\\.0\\.1:(\\d+)").matcher(p.out());
    assertThat(m.find()).as("console port in:\n%s", p.out()).isTrue();
    return Integer.parseInt(m.group(1));
  }

  /** A console connection over a real socket; reads time out after 10 s. */
  private static final class ConsoleClient implements AutoCloseable {
    final Socket socket;
    final BufferedReader in;
    final PrintWriter out;

    ConsoleClient(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(10_000);
      in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    String send(String command) throws IOException {
      out.println(command);
      return readUntilPrompt();
    }

    String readUntilPrompt() throws IOException {
      StringBuilder sb = new StringBuilder();
      while (!sb.toString().endsWith(Console.PROMPT)) {
        int c = in.read();
        if (c < 0) throw new AssertionError("console closed; got:\n" + sb);
        sb.append((char) c);
      }
      return sb.toString();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  @Test
  void consoleOffLoopbackWithoutATokenIsAUsageError() throws Exception {
    try (WorkerProcess p = WorkerProcess.start("tree", "--console-port", "0", "--console-host", "0.0.0.0")) {
      assertThat(p.awaitExit()).isEqualTo(2);
      assertThat(p.err()).contains("0.0.0.0, which is not a loopback address").contains("--console-token");
    }
  }

  @Test
  void blockingDetectorReportsATimerRunPastTheTimeoutWithItsStack() throws Exception {
    try (WorkerProcess p = WorkerProcess.start("blocking", "--blocking-timeout", "500ms")) {
      p.awaitOut("Blocking detected: timer slowTick of Worker/Blocker has not returned after");
      p.awaitOut("at dev.mode.worker.TestApp$Blocker.slowTick(TestApp.java");
      assertThat(p.process.isAlive()).as("the detector reports; it does not kill").isTrue();
      p.signal("TERM");
      assertThat(p.awaitExit()).isZero();
    }
  }

  @Test
  void blockingDetectorReportsCarrierStarvationWithTheSpinningThread() throws Exception {
    List<String> oneCarrier =
        List.of("-Djdk.virtualThreadScheduler.parallelism=1", "-Djdk.virtualThreadScheduler.maxPoolSize=1");
    try (WorkerProcess p = WorkerProcess.start(oneCarrier, "spin", "--blocking-timeout", "500ms")) {
      p.awaitOut("Blocking detected: virtual threads cannot run: a heartbeat virtual thread has not run for");
      p.awaitOut("at dev.mode.worker.TestApp$Spinner.spin(TestApp.java");
      p.signal("TERM");
      assertThat(p.awaitExit()).isZero();
    }
  }

  @Test
  void blockingDetectorReportsAVirtualThreadPinnedToItsCarrier() throws Exception {
    try (WorkerProcess p = WorkerProcess.start("pin", "--blocking-timeout", "500ms")) {
      p.awaitOut("Blocking detected: virtual thread \"Worker/Pinner:initSlowClass\" was pinned to its carrier for");
      p.awaitOut("at dev.mode.worker.TestApp$SlowInit.<clinit>");
      p.signal("TERM");
      assertThat(p.awaitExit()).isZero();
    }
  }

  @Test
  void loggingIsLeftAloneWhenTheUserBringsALogbackConfiguration() throws Exception {
    Path config = Path.of(getClass().getResource("/user-logback.xml").toURI());
    try (WorkerProcess p = WorkerProcess.start(List.of("-Dlogback.configurationFile=" + config), "tree")) {
      p.awaitOut("USER-CONFIG [^Worker]: Ready");
      p.signal("TERM");
      assertThat(p.awaitExit()).isZero();
      assertThat(p.out()).contains("log                configured by -Dlogback.configurationFile=");
      assertThat(p.lines()).noneMatch(l -> MODE_LINE.matcher(l).matches());
    }
  }

  @Test
  void logfileReceivesTheLogInModesShape(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("worker.log");
    try (WorkerProcess p = WorkerProcess.start("exit3", "--logfile", file.toString())) {
      assertThat(p.awaitExit()).isEqualTo(3);
      assertThat(p.out()).doesNotContain("Starting...");
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).anyMatch(l -> l.endsWith("[^Worker]: Ready")).allMatch(l -> MODE_LINE.matcher(l).matches());
  }

  @Test
  void shutdownTimeoutNamesTheServicesStillStoppingAndExitsAnyway() throws Exception {
    try (WorkerProcess p = WorkerProcess.start("stuck", "--shutdown-timeout", "1s")) {
      p.awaitOut("[^Worker]: Ready");
      p.signal("TERM");
      assertThat(p.awaitExit()).isEqualTo(1);
      assertThat(p.out())
          .contains("The shutdown timeout (1s) passed; exiting with services still stopping: Worker/Stuck")
          .contains("at dev.mode.worker.TestApp$Stuck.onStop");
    }
  }

  @Test
  void aSecondSigintDuringTheStopExitsAtOnce() throws Exception {
    try (WorkerProcess p = WorkerProcess.start("stuck")) {
      p.awaitOut("[^Worker]: Ready");
      p.signal("INT");
      p.awaitOut("[^-Stuck]: Stopping...");
      p.signal("INT");
      assertThat(p.awaitExit()).isEqualTo(Worker.EXIT_FORCED);
      assertThat(p.out()).contains("Second SIGINT: exiting now");
    }
  }

  @Test
  void extensionsAddOptionsAndServicesAndHearTheStopFirst() throws Exception {
    try (WorkerProcess p = WorkerProcess.start("tree", "--greeting", "hello")) {
      p.awaitOut("[^-Greeter]: Greeting: hello");
      p.awaitOut("[^Worker]: Ready");
      p.signal("TERM");
      assertThat(p.awaitExit()).isZero();
      String out = p.out();
      assertThat(out.indexOf("beforeStop: draining"))
          .as("beforeStop before any service stops:\n%s", out)
          .isPositive()
          .isLessThan(out.indexOf("[^Worker]: Stopping..."));
      assertThat(out.indexOf("[^-Greeter]: Stopped"))
          .as("extension services stop after the user's")
          .isGreaterThan(out.indexOf("[^-App]: Stopped"));
    }
  }

  // issue 13, defect 6: an unwritable --logfile is a usage error before anything starts
  @Test
  void anUnwritableLogfileExitsWithCode2AndOneLine(@TempDir Path dir)
      throws Exception {
    Path file = Files.writeString(dir.resolve("plain.txt"), "x");
    for (String bad : List.of(dir.toString(), file.resolve("app.log").toString())) {
      try (WorkerProcess p = WorkerProcess.start("tree", "--logfile", bad)) {
        assertThat(p.awaitExit()).as("--logfile %s", bad).isEqualTo(2);
        assertThat(p.err().strip()).as("--logfile %s", bad).startsWith("Error: ").contains(bad).doesNotContain("\n").doesNotContain("\tat ");
        assertThat(p.out()).as("nothing started").doesNotContain("Starting");
      }
    }
  }
}
