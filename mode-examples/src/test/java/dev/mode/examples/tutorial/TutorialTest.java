package dev.mode.examples.tutorial;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mode.State;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tutorial does what docs/tutorial.md shows: real HTTP, a real WebSocket, the graph, Ctrl-C. */
class TutorialTest {
  @Test
  void appServesHttpAndWebSocketsAndRemembersUsers(@TempDir Path dir) throws Exception {
    TutorialOptions options = new TutorialOptions();
    options.webPort = 0;
    options.wsPort = 0;
    options.graphDir = dir;
    App app = new App(options);
    app.start();
    try (HttpClient http = HttpClient.newHttpClient()) {
      URI web = app.webserver().url();
      assertThat(get(http, web.resolve("/?user=ann"))).isEqualTo("Hello from Mode for Java, ann!\n");

      BlockingQueue<String> received = new LinkedBlockingQueue<>();
      WebSocket ws =
          http.newWebSocketBuilder()
              .buildAsync(app.websockets().url(), new Collect(received))
              .get(10, TimeUnit.SECONDS);
      assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("Welcome! Send: hello NAME");
      ws.sendText("hello bob", true).get(10, TimeUnit.SECONDS);
      assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("Hello, bob! Users online: 2");
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);

      assertThat(get(http, web.resolve("/users"))).isEqualTo("ann\nbob\n");
    } finally {
      app.stop();
    }
    assertThat(app.state()).isEqualTo(State.SHUTDOWN);
    assertThat(Files.readString(dir.resolve("app.dot"))).contains("label=\"Webserver\"").contains("n0 -> n1");
  }

  private static String get(HttpClient http, URI uri) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  private record Collect(BlockingQueue<String> into) implements WebSocket.Listener {
    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      into.add(data.toString());
      ws.request(1);
      return null;
    }
  }

  @Test
  void tutorialMainStopsInOrderOnSigtermAndExitsZero(@TempDir Path dir) throws Exception {
    // the main classes only: the test resources' logback-test.xml would make the Worker leave logging alone
    String classPath =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(e -> !e.endsWith("test-classes"))
            .collect(Collectors.joining(File.pathSeparator));
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
        "-cp", classPath, TutorialMain.class.getName(),
        "--web-port", "0", "--ws-port", "0", "--graph-dir", dir.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
    try {
      Path out = dir.resolve("out.txt");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!Files.readString(out).contains("[^Worker]: Ready")) {
        assertThat(p.isAlive()).as("running; output:\n%s", Files.readString(out)).isTrue();
        assertThat(System.nanoTime() - deadline).as("Ready within 30 s; output:\n%s", Files.readString(out)).isNegative();
        p.waitFor(100, TimeUnit.MILLISECONDS);
      }
      p.destroy(); // SIGTERM
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
      assertThat(p.exitValue()).as("exit code; output:\n%s", Files.readString(out)).isZero();
      List<String> stops =
          Files.readAllLines(out).stream()
              .filter(l -> l.contains("Stopping..."))
              .map(l -> l.substring(l.indexOf("]: ") + 3))
              .toList();
      assertThat(stops)
          .containsExactly(
              "[^Worker]: Stopping...",
              "[^-App]: Stopping...",
              "[^--Webserver]: Stopping...",
              "[^--Websockets]: Stopping...",
              "[^--UserCache]: Stopping...");
    } finally {
      p.destroyForcibly();
    }
  }
}
