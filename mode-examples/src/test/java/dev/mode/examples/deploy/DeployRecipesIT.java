package dev.mode.examples.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mode.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every recipe of docs/deploying.md, checked after {@code package} built the runnable jar and the
 * image tarball: the jar runs as a user runs it, the image's manifest and config are read from the
 * tarball, the systemd unit and the Kubernetes manifest are parsed, and each file the page shows is
 * on the page as it is in the repository.
 */
class DeployRecipesIT {
  static final Path MODULE = Path.of("").toAbsolutePath();
  static final Path ROOT = MODULE.getParent();
  static final Path JAR = MODULE.resolve("target/mode-tutorial.jar");
  static final Path IMAGE = MODULE.resolve("target/mode-tutorial-image-scratch.tar");
  static final Path UNIT = ROOT.resolve("deploy/systemd/mode-tutorial.service");
  static final Path KUBERNETES = ROOT.resolve("deploy/kubernetes/mode-tutorial.yaml");
  static final Path PAGE = ROOT.resolve("docs/deploying.md");
  static final String TOKEN = "admin-token-from-a-file-0123456789";
  static final Duration WAIT = Duration.ofSeconds(60);

  private static String help;

  // java -jar mode-tutorial.jar --help, whitespace folded; run once (each run starts a JVM), tests run one at a time
  private static String help() throws Exception {
    if (help == null) {
      Run run = Run.start(Map.of(), "--help");
      assertThat(run.awaitExit()).isZero();
      help = run.out().replaceAll("\\s+", " ");
    }
    return help;
  }

  @Test
  void theRunnableJarKeepsTheAdminExtensionAndListsEachOptionsVariable() throws Exception {
    String text = help();
    assertThat(text)
        .contains("--admin-port=PORT", "Env: MODE_ADMIN_PORT", "--admin-token-file=FILE", "Env: MODE_ADMIN_TOKEN_FILE")
        .contains("--web-port=PORT", "Env: MODE_WEB_PORT", "--config=FILE");
  }

  @Test
  void theRunnableJarRunsFromTheEnvironmentWithATokenFileAndNeverShowsTheToken(@TempDir Path dir) throws Exception {
    Path tokenFile = Files.writeString(dir.resolve("admin-token"), TOKEN + "\n");
    Map<String, String> env = Map.of(
        "MODE_ADMIN_PORT", "0", "MODE_WEB_PORT", "0", "MODE_WS_PORT", "0", "MODE_LOGLEVEL", "debug",
        "MODE_GRAPH_DIR", dir.resolve("graph").toString(), "MODE_ADMIN_TOKEN_FILE", tokenFile.toString());
    Run app = Run.start(env);
    try (HttpClient http = HttpClient.newHttpClient()) {
      app.awaitOut("[^Worker]: Ready");
      Matcher m = Pattern.compile("Admin listening on (http://127\\.0\\.0\\.1:\\d+)").matcher(app.out());
      assertThat(m.find()).as("admin address in:\n%s", app.out()).isTrue();
      URI admin = URI.create(m.group(1));
      assertThat(send(http, get(admin.resolve("/health/live"))).statusCode()).isEqualTo(200);
      assertThat(send(http, get(admin.resolve("/health/ready"))).statusCode()).isEqualTo(200);
      HttpResponse<String> services = send(http, get(admin.resolve("/services")));
      assertThat(services.body()).contains("UserCache").doesNotContain(TOKEN);
      HttpResponse<String> wrong = send(http, post(admin.resolve("/services/Worker/App/UserCache/restart"), "not-the-token-0123456789"));
      assertThat(wrong.statusCode()).isIn(401, 403);
      HttpResponse<String> right = send(http, post(admin.resolve("/services/Worker/App/UserCache/restart"), TOKEN));
      assertThat(right.statusCode()).as("the token read from the file, newline dropped: %s", right.body()).isIn(200, 202);
      assertThat(wrong.body() + right.body()).doesNotContain(TOKEN);
      app.signal("TERM");
      assertThat(app.awaitExit()).as("exit code; output:\n%s", app.out()).isZero();
    } finally {
      app.close();
    }
    assertThat(app.out() + app.err()).doesNotContain(TOKEN);
  }

  @Test
  void aBadAdminTokenFromTheEnvironmentIsRefusedWithoutShowingIt(@TempDir Path dir) throws Exception {
    String shortToken = "short-secret"; // 12 characters: the admin wants 16 or more
    Run app = Run.start(Map.of("MODE_ADMIN_PORT", "0", "MODE_WEB_PORT", "0", "MODE_WS_PORT", "0",
        "MODE_GRAPH_DIR", dir.toString(), "MODE_ADMIN_TOKEN", shortToken));
    try (app) {
      assertThat(app.awaitExit()).as("refused; output:\n%s%s", app.out(), app.err()).isNotZero();
      assertThat(app.out() + app.err()).contains("admin token").doesNotContain(shortToken);
    }
  }

  @Test
  void theImageTarballHasTheEntrypointThePortsAndTheLayers() throws Exception {
    assertThat(IMAGE).as("built by jib:buildTar during package").exists();
    List<String> entries = tar("tf", IMAGE.toString()).lines().toList();
    JsonNode manifest = new ObjectMapper().readTree(tar("xOf", IMAGE.toString(), "manifest.json")).get(0);
    JsonNode config = new ObjectMapper().readTree(tar("xOf", IMAGE.toString(), manifest.get("Config").asText()));
    List<String> layers = new ArrayList<>();
    manifest.get("Layers").forEach(l -> layers.add(l.asText()));
    assertThat(layers).as("dependencies, project dependencies, resources, classes, jvm arg files").hasSizeGreaterThanOrEqualTo(4);
    assertThat(entries).containsAll(layers);
    assertThat(config.at("/rootfs/diff_ids").size()).isEqualTo(layers.size());
    List<String> entrypoint = new ArrayList<>();
    config.at("/config/Entrypoint").forEach(e -> entrypoint.add(e.asText()));
    assertThat(entrypoint).first().isEqualTo("java");
    assertThat(entrypoint).last().isEqualTo("dev.mode.examples.tutorial.TutorialMain");
    List<String> ports = new ArrayList<>();
    config.at("/config/ExposedPorts").fieldNames().forEachRemaining(ports::add);
    assertThat(ports).containsExactlyInAnyOrder("6066/tcp", "8000/tcp", "8001/tcp");
    assertThat(config.at("/config/User").asText()).isEqualTo("65532");
    boolean hasMain = false;
    for (String layer : layers) {
      hasMain |= layerListing(layer).contains("app/classes/dev/mode/examples/tutorial/TutorialMain.class");
    }
    assertThat(hasMain).as("a layer holds the tutorial's classes").isTrue();

    // the page's Maven snippets (shade, jib) are the module's own configuration
    String pom = Files.readString(MODULE.resolve("pom.xml"));
    Matcher xml = Pattern.compile("```xml\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(PAGE));
    int blocks = 0;
    while (xml.find()) {
      blocks++;
      for (String line : xml.group(1).split("\\n")) {
        if (!line.isBlank()) assertThat(pom).as("mode-examples/pom.xml has the page's line").contains(line.strip());
      }
    }
    assertThat(blocks).as("the page shows the shade and jib configuration and jib's properties").isEqualTo(3);
  }

  @Test
  void theSystemdUnitStopsWithSigtermWithinTheWorkersOwnDeadline(@TempDir Path dir) throws Exception {
    Map<String, List<String>> service = unitSection(Files.readString(UNIT), "Service");
    assertThat(service.get("Type")).containsExactly("exec");
    assertThat(service.get("KillSignal")).containsExactly("SIGTERM");
    Map<String, String> env = new HashMap<>();
    for (String e : service.get("Environment")) env.put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1));
    Duration shutdown = Durations.parse(env.get("MODE_SHUTDOWN_TIMEOUT"));
    Duration drain = Durations.parse(env.get("MODE_DRAIN_DELAY"));
    Duration stop = Durations.parse(service.get("TimeoutStopSec").get(0));
    assertThat(stop).as("TimeoutStopSec above shutdown timeout + drain delay").isGreaterThan(shutdown.plus(drain));
    assertThat(service.get("ExecStart").get(0)).contains(" -jar /opt/mode-tutorial/mode-tutorial.jar");
    assertThat(env.get("MODE_ADMIN_TOKEN_FILE")).startsWith("%d/"); // the credentials directory
    assertThat(service.get("LoadCredential").get(0)).startsWith(env.get("MODE_ADMIN_TOKEN_FILE").substring(3) + ":");
    assertEveryVariableIsAnOption(env.keySet());
    assertShownOnThePage(UNIT);

    Path analyze = Path.of("/usr/bin/systemd-analyze");
    Assumptions.assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed: the unit was only parsed");
    // verify wants ExecStart's program to exist: point it at this JDK's java
    Path copy = dir.resolve("mode-tutorial.service");
    Files.writeString(copy, Files.readString(UNIT).replaceFirst(
        "ExecStart=\\S+", "ExecStart=" + Path.of(System.getProperty("java.home"), "bin", "java")));
    Process verify = new ProcessBuilder(analyze.toString(), "verify", copy.toString()).redirectErrorStream(true).start();
    String said = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(verify.exitValue()).as("systemd-analyze verify: %s", said).isZero();
    assertThat(said).as("no warning (an unknown key is only a warning)").isBlank();
  }

  @Test
  void theKubernetesDeploymentProbesTheAdminAndOutlastsTheShutdown() throws Exception {
    List<JsonNode> docs = new ObjectMapper(new YAMLFactory())
        .readerFor(JsonNode.class).<JsonNode>readValues(KUBERNETES.toFile()).readAll();
    JsonNode deployment = docs.stream().filter(d -> d.path("kind").asText().equals("Deployment")).findFirst().orElseThrow();
    JsonNode pod = deployment.at("/spec/template/spec");
    JsonNode container = pod.at("/containers/0");
    Map<String, String> env = new LinkedHashMap<>();
    container.get("env").forEach(e -> env.put(e.get("name").asText(), e.path("value").asText()));
    Map<String, Integer> ports = new HashMap<>();
    container.get("ports").forEach(p -> ports.put(p.get("name").asText(), p.get("containerPort").asInt()));

    assertThat(ports.get("admin")).isEqualTo(Integer.parseInt(env.get("MODE_ADMIN_PORT")));
    assertThat(env.get("MODE_ADMIN_BIND")).as("probes come from outside the container").isEqualTo("0.0.0.0");
    assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/health/started");
    assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/health/live");
    assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/health/ready");
    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
      assertThat(container.at("/" + probe + "/httpGet/port").asText()).as(probe).isEqualTo("admin");
    }

    Duration shutdown = Durations.parse(env.get("MODE_SHUTDOWN_TIMEOUT"));
    Duration drain = Durations.parse(env.get("MODE_DRAIN_DELAY"));
    Duration grace = Duration.ofSeconds(pod.get("terminationGracePeriodSeconds").asLong());
    assertThat(grace).as("grace period above shutdown timeout + drain delay").isGreaterThan(shutdown.plus(drain));
    JsonNode readiness = container.get("readinessProbe");
    Duration unready = Duration.ofSeconds(readiness.get("periodSeconds").asLong() * readiness.get("failureThreshold").asLong());
    assertThat(drain).as("the drain outlasts the time readiness needs to be seen failing").isGreaterThanOrEqualTo(unready);

    // the token comes from a Secret volume, as a file
    String tokenFile = env.get("MODE_ADMIN_TOKEN_FILE");
    JsonNode mount = null;
    for (JsonNode m : container.get("volumeMounts")) if (tokenFile.startsWith(m.get("mountPath").asText() + "/")) mount = m;
    assertThat(mount).as("a volume mounted where MODE_ADMIN_TOKEN_FILE points").isNotNull();
    String volume = mount.get("name").asText();
    JsonNode secret = null;
    for (JsonNode v : pod.get("volumes")) if (v.get("name").asText().equals(volume)) secret = v.get("secret");
    assertThat(secret).as("volume %s is a Secret", volume).isNotNull();
    assertThat(env.keySet()).doesNotContain("MODE_ADMIN_TOKEN", "MODE_CONSOLE_TOKEN");

    // the image exposes the ports the Deployment names
    JsonNode manifest = new ObjectMapper().readTree(tar("xOf", IMAGE.toString(), "manifest.json")).get(0);
    JsonNode config = new ObjectMapper().readTree(tar("xOf", IMAGE.toString(), manifest.get("Config").asText()));
    for (int port : ports.values()) assertThat(config.at("/config/ExposedPorts").has(port + "/tcp")).as("port %s", port).isTrue();

    assertEveryVariableIsAnOption(env.keySet());
    assertShownOnThePage(KUBERNETES);
  }

  // each MODE_ variable a recipe sets is an option of the program (or the variable naming --config)
  private static void assertEveryVariableIsAnOption(Iterable<String> names) throws Exception {
    String text = help();
    for (String name : names) {
      if (name.startsWith("MODE_")) assertThat(text).as("--help names %s", name).contains("Env: " + name);
    }
  }

  // the page shows the file as it is: every line of it is on the page
  private static void assertShownOnThePage(Path file) throws IOException {
    String page = Files.readString(PAGE);
    for (String line : Files.readAllLines(file)) {
      if (!line.isBlank()) assertThat(page).as("docs/deploying.md shows %s", ROOT.relativize(file)).contains(line);
    }
  }

  private static Map<String, List<String>> unitSection(String unit, String section) {
    Map<String, List<String>> keys = new HashMap<>();
    String current = null;
    for (String raw : unit.split("\\R")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
      if (line.startsWith("[")) {
        current = line.substring(1, line.length() - 1);
        continue;
      }
      if (section.equals(current)) {
        int eq = line.indexOf('=');
        keys.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1));
      }
    }
    return keys;
  }

  private static String layerListing(String layer) throws Exception {
    Process p = new ProcessBuilder("sh", "-c", "tar xOf \"$0\" \"$1\" | tar tzf -", IMAGE.toString(), layer).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  private static String tar(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("tar"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("tar %s", String.join(" ", args)).isZero();
    return out;
  }

  private static HttpRequest get(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build();
  }

  private static HttpRequest post(URI uri, String token) {
    return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build();
  }

  private static HttpResponse<String> send(HttpClient http, HttpRequest r) throws Exception {
    return http.send(r, HttpResponse.BodyHandlers.ofString());
  }

  /** {@code java -jar target/mode-tutorial.jar ARGS} with extra environment variables; output collected. */
  private record Run(Process process, StringBuffer stdout, StringBuffer stderr, List<Thread> pumps) implements AutoCloseable {
    static Run start(Map<String, String> env, String... args) throws IOException {
      assertThat(JAR).as("built by the shade plugin during package").exists();
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
      cmd.addAll(List.of(args));
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.environment().putAll(env);
      Process p = pb.start();
      StringBuffer out = new StringBuffer();
      StringBuffer err = new StringBuffer();
      return new Run(p, out, err, List.of(pump(p.getInputStream(), out), pump(p.getErrorStream(), err)));
    }

    private static Thread pump(InputStream in, StringBuffer into) {
      return Thread.ofVirtual().start(() -> {
        byte[] buf = new byte[8192];
        try (in) {
          for (int n; (n = in.read(buf)) > 0; ) into.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        } catch (IOException e) {
          // the process ended
        }
      });
    }

    String out() {
      return stdout.toString();
    }

    String err() {
      return stderr.toString();
    }

    void awaitOut(String text) {
      await("output to contain " + text).atMost(WAIT).pollInterval(Duration.ofMillis(100))
          .failFast("the process ended:\n" + out() + err(), () -> !process.isAlive() && !out().contains(text))
          .until(() -> out().contains(text));
    }

    void signal(String name) throws Exception {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
      assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    int awaitExit() throws InterruptedException {
      if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("no exit within " + WAIT + ":\n" + out() + err());
      }
      for (Thread t : pumps) t.join(Duration.ofSeconds(5)); // the last bytes
      return process.exitValue();
    }

    @Override
    public void close() {
      if (process.isAlive()) process.destroyForcibly();
    }
  }
}
