package dev.mode.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The console bounds what a client can make it hold: line length, sessions, idle time (issue 13, defect 4). */
class ConsoleLimitsTest {
  private final Worker worker = new Worker();
  private Console console;

  @AfterEach
  void stopConsole() {
    if (console != null) console.stop();
  }

  private int start(Console c) {
    console = c;
    c.start();
    return c.boundPort();
  }

  /** Everything the console sends until it closes the connection (reads time out after 10 s). */
  private static String readToEnd(Socket s) throws IOException {
    s.setSoTimeout(10_000);
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    InputStream in = s.getInputStream();
    try {
      for (int c; (c = in.read()) >= 0; ) got.write(c);
    } catch (SocketException reset) {
      // closed with unread input: what came before counts
    }
    return got.toString(StandardCharsets.UTF_8);
  }

  private static String readUntil(Socket s, String text) throws IOException {
    s.setSoTimeout(10_000);
    StringBuilder sb = new StringBuilder();
    InputStream in = s.getInputStream();
    while (!sb.toString().contains(text)) {
      int c = in.read();
      if (c < 0) throw new AssertionError("closed before \"" + text + "\"; got: " + sb);
      sb.append((char) c);
    }
    return sb.toString();
  }

  private static void sendLongLine(Socket s, int chars) throws IOException {
    OutputStream out = s.getOutputStream();
    byte[] chunk = "a".repeat(8192).getBytes(StandardCharsets.US_ASCII);
    try {
      for (int sent = 0; sent < chars; sent += chunk.length) out.write(chunk);
      out.flush();
    } catch (SocketException closedEarly) {
      // the console answered and closed before reading it all, as it should
    }
  }

  @Test
  void aLineLongerThanTheLimitIsAnsweredAndTheSessionClosed() throws IOException {
    int port = start(new Console(worker, "127.0.0.1", 0, null));
    try (Socket s = new Socket("127.0.0.1", port)) {
      readUntil(s, Console.PROMPT);
      sendLongLine(s, 1 << 20);
      assertThat(readToEnd(s)).contains("Line longer than " + Console.MAX_LINE_CHARS + " characters; closing.");
    }
  }

  @Test
  void aLongLineBeforeTheTokenLineIsAnsweredAndTheSessionClosed() throws IOException {
    int port = start(new Console(worker, "127.0.0.1", 0, "secret-token-0123456789"));
    try (Socket s = new Socket("127.0.0.1", port)) {
      readUntil(s, "token: ");
      sendLongLine(s, 1 << 20);
      assertThat(readToEnd(s)).contains("Line longer than").doesNotContain(Console.PROMPT);
    }
  }

  @Test
  void sessionsPastTheLimitAreToldSoAndClosed() throws IOException {
    int port = start(new Console(worker, "127.0.0.1", 0, null, 4096, 2, Duration.ofMinutes(1)));
    try (Socket a = new Socket("127.0.0.1", port); Socket b = new Socket("127.0.0.1", port)) {
      readUntil(a, Console.PROMPT);
      readUntil(b, Console.PROMPT);
      try (Socket c = new Socket("127.0.0.1", port)) {
        assertThat(readToEnd(c)).contains("Too many console sessions (2 open)");
      }
      b.getOutputStream().write("quit\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(readToEnd(b)).contains("Bye.");
    }
    try (Socket d = new Socket("127.0.0.1", port)) {
      assertThat(readUntil(d, Console.PROMPT)).as("a slot freed by quit is usable again").contains("console");
    }
  }

  @Test
  void anIdleSessionIsClosedAfterTheIdleTimeout() throws IOException {
    int port = start(new Console(worker, "127.0.0.1", 0, null, 4096, 8, Duration.ofMillis(300)));
    try (Socket s = new Socket("127.0.0.1", port)) {
      assertThat(readToEnd(s)).contains("Idle for 300ms; closing.");
    }
  }
}
