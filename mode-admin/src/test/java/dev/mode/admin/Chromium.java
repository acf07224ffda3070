package dev.mode.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium driven through the DevTools protocol over the JDK's WebSocket client:
 * enough to load a page, type, click with the mouse, evaluate JavaScript and take a screenshot. No
 * browser download and no npm: the test needs only the {@code chromium} package.
 */
final class Chromium implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

  /** The chromium executable, if installed. */
  static Optional<Path> find() {
    for (String p : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium")) {
      Path path = Path.of(p);
      if (Files.isExecutable(path)) return Optional.of(path);
    }
    return Optional.empty();
  }

  Chromium(Path executable) throws Exception {
    profile = Files.createTempDirectory("mode-admin-chromium");
    process = new ProcessBuilder(
            executable.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
            "--window-size=1400,800", "about:blank")
        .redirectErrorStream(true)
        .start();
    CompletableFuture<String> devtools = new CompletableFuture<>();
    StringBuilder output = new StringBuilder();
    Thread.ofVirtual().start(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          if (output.length() < 10_000) output.append(line).append('\n');
          int at = line.indexOf("ws://");
          if (line.contains("DevTools listening on") && at >= 0) devtools.complete(line.substring(at).strip());
        }
      } catch (IOException ignored) {
        // the process ended
      }
      devtools.completeExceptionally(new IllegalStateException("chromium exited without a DevTools address:\n" + output));
    });
    try {
      socket = connect(URI.create(devtools.get(60, TimeUnit.SECONDS)));
    } catch (Exception | Error e) {
      process.destroyForcibly();
      deleteProfile();
      throw e;
    }
  }

  private WebSocket connect(URI browser) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    String list = client.send(
            HttpRequest.newBuilder(URI.create("http://" + browser.getAuthority() + "/json/list")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
    String page = null;
    for (JsonNode t : MAPPER.readTree(list)) {
      if (t.path("type").asText().equals("page")) page = t.path("webSocketDebuggerUrl").asText();
    }
    if (page == null) throw new IllegalStateException("chromium has no page target: " + list);
    return client.newWebSocketBuilder().buildAsync(URI.create(page), new Listener()).get(30, TimeUnit.SECONDS);
  }

  /** Sends one DevTools command and waits for its result. */
  JsonNode call(String method, Map<String, Object> params) throws Exception {
    int id = ids.incrementAndGet();
    ObjectNode msg = MAPPER.createObjectNode();
    msg.put("id", id);
    msg.put("method", method);
    msg.set("params", MAPPER.valueToTree(params));
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    socket.sendText(MAPPER.writeValueAsString(msg), true).get(30, TimeUnit.SECONDS);
    JsonNode reply = answer.get(30, TimeUnit.SECONDS);
    if (reply.has("error")) throw new IllegalStateException(method + " failed: " + reply.get("error"));
    return reply.path("result");
  }

  /** Evaluates a JavaScript expression in the page; returns its value (awaiting promises). */
  JsonNode eval(String expression) throws Exception {
    JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
    if (r.has("exceptionDetails")) throw new IllegalStateException("JavaScript failed: " + r.get("exceptionDetails"));
    return r.path("result").path("value");
  }

  /** Makes the page's viewport {@code width} x {@code height} CSS pixels, as a window of that size would. */
  void viewport(int width, int height) throws Exception {
    call("Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
  }

  void navigate(URI uri) throws Exception {
    call("Page.navigate", Map.of("url", uri.toString()));
  }

  /** Clicks with the mouse in the middle of the element that {@code selector} finds. */
  void click(String selector) throws Exception {
    JsonNode box = eval("(() => { const r = document.querySelector(" + MAPPER.writeValueAsString(selector)
        + ").getBoundingClientRect(); return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()");
    double x = box.path("x").asDouble();
    double y = box.path("y").asDouble();
    call("Input.dispatchMouseEvent", Map.of("type", "mouseMoved", "x", x, "y", y));
    call("Input.dispatchMouseEvent", Map.of("type", "mousePressed", "x", x, "y", y, "button", "left", "clickCount", 1));
    call("Input.dispatchMouseEvent", Map.of("type", "mouseReleased", "x", x, "y", y, "button", "left", "clickCount", 1));
  }

  /** Types {@code text} into the element that {@code selector} finds, as keyboard input. */
  void type(String selector, String text) throws Exception {
    click(selector);
    call("Input.insertText", Map.of("text", text));
  }

  void screenshot(Path file) throws Exception {
    JsonNode shot = call("Page.captureScreenshot", Map.of("format", "png"));
    Files.write(file, java.util.Base64.getDecoder().decode(shot.path("data").asText()));
  }

  @Override
  public void close() throws IOException {
    try {
      socket.abort();
    } finally {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      deleteProfile();
    }
  }

  private void deleteProfile() throws IOException {
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        try {
          JsonNode msg = MAPPER.readTree(text);
          if (msg.has("id")) {
            CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
            if (f != null) f.complete(msg);
          }
        } catch (IOException e) {
          pending.values().forEach(f -> f.completeExceptionally(e));
        }
      }
      ws.request(1);
      return null;
    }
  }

  static Duration timeout() {
    return Duration.ofSeconds(60);
  }
}
