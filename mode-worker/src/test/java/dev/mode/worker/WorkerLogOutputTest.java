package dev.mode.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Worker's batched output, seen from outside the process: nothing is lost at exit whatever the
 * way out, log lines and prints keep their order, and a lone line is not held back.
 */
class WorkerLogOutputTest {
  static final int LINES = 5000;

  @Test
  void aStopLoggingThousandsOfLinesOnSigtermLosesNoneAndKeepsPrintsInOrder() throws Exception {
    try (WorkerProcess p = WorkerProcess.startMerged("chatty", Integer.toString(LINES))) {
      p.awaitOut("[^Worker]: Ready");
      p.signal("TERM");
      assertThat(p.awaitExit()).as("exit code").isZero();
      assertThat(chatter(p.lines())).as("every line and print, in order").isEqualTo(expectedChatter(true));
      assertThat(p.out()).contains("[^Worker]: Stopped in");
      assertThat(lastLine(p.lines())).endsWith("[^Worker]: Exiting with code 0");
    }
  }

  @Test
  void exitThroughWorkerRunningExitLosesNoLine() throws Exception {
    try (WorkerProcess p = WorkerProcess.startMerged("chattyexit", Integer.toString(LINES))) {
      assertThat(p.awaitExit()).as("exit code").isEqualTo(4);
      assertThat(chatter(p.lines())).as("every line and print, in order").isEqualTo(expectedChatter(true));
      assertThat(lastLine(p.lines())).endsWith("[^Worker]: Exiting with code 4");
    }
  }

  @Test
  void logfileGetsEveryLineOfAStopInOrder(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("worker.log");
    try (WorkerProcess p = WorkerProcess.start("chattyexit", Integer.toString(LINES), "--logfile", file.toString())) {
      assertThat(p.awaitExit()).as("exit code").isEqualTo(4);
      assertThat(p.out()).contains("out-mark " + (LINES - 1) / 1000 * 1000).doesNotContain("line 0 of");
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(chatter(lines)).as("every log line, in order").isEqualTo(expectedChatter(false));
    assertThat(lastLine(lines)).endsWith("[^Worker]: Exiting with code 4");
    assertThat(lines).allMatch(l -> WorkerEndToEndTest.MODE_LINE.matcher(l).matches());
  }

  @Test
  void aLoneLineReachesTheReaderWhileTheProgramWaits() throws Exception {
    try (WorkerProcess p = WorkerProcess.start("lone")) {
      // the program now blocks on its standard input: the line can only come from a write made
      // without waiting for more lines, a full buffer or the exit
      p.awaitOut("[^-Lone]: lone line");
      assertThat(p.out()).doesNotContain("released");
      assertThat(p.process.isAlive()).isTrue();
      p.send("go");
      assertThat(p.awaitExit()).as("exit code").isZero();
      assertThat(p.out().indexOf("[^-Lone]: released")).isGreaterThan(p.out().indexOf("[^-Lone]: lone line"));
    }
  }

  // the Chatty lines and marks, without timestamps
  private static List<String> chatter(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (String l : lines) {
      if (l.startsWith("out-mark ") || l.startsWith("err-mark ")) out.add(l);
      int at = l.indexOf("[^-Chatty]: line ");
      if (at >= 0) out.add(l.substring(at + "[^-Chatty]: ".length()));
    }
    return out;
  }

  private static List<String> expectedChatter(boolean withMarks) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < LINES; i++) {
      out.add("line " + i + " of " + LINES);
      if (withMarks && i % 1000 == 0) {
        out.add("out-mark " + i);
        out.add("err-mark " + i);
      }
    }
    return out;
  }

  private static String lastLine(List<String> lines) {
    for (int i = lines.size() - 1; i >= 0; i--) if (!lines.get(i).isBlank()) return lines.get(i);
    return "";
  }
}
