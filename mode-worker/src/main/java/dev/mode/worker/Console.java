package dev.mode.worker;

import dev.mode.Durations;
import dev.mode.Service;
import dev.mode.TaskInfo;
import dev.mode.TimerInfo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The Worker's debug console: a line-based TCP server (use {@code nc HOST PORT}) that shows the
 * service tree, tasks, timers and stacks, and can restart or stop a service. Each connection runs on
 * its own virtual thread, a task of this service. Bound to loopback unless a token is set (the
 * Worker's options refuse a non-loopback address without one); with a token, the first line a
 * client sends must be the token.
 */
final class Console extends Service {
  static final String PROMPT = "mode> ";

  /** The commands and their help, in the order {@code help} lists them. */
  static final Map<String, String> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("help", "list the commands");
    COMMANDS.put("tree", "the service tree with states and uptimes");
    COMMANDS.put("tasks", "the tasks and timer runs of every service, with their threads");
    COMMANDS.put("stack", "stack PATH: the stacks of the threads of the service at PATH");
    COMMANDS.put("timers", "every timer and cron job with its counters and next run");
    COMMANDS.put("threads", "dump every thread, grouped by service (as SIGUSR1 does)");
    COMMANDS.put("restart", "restart PATH: restart the service at PATH");
    COMMANDS.put("stop", "stop PATH: stop the service at PATH (stop Worker: stop the program)");
    COMMANDS.put("loglevel", LogLevelCommand.HELP);
    COMMANDS.put("quit", "close this connection");
  }

  private final Worker worker;
  private final String host;
  private final int port;
  private final byte[] token;
  private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
  private volatile ServerSocket server;

  Console(Worker worker, String host, int port, String token) {
    this.worker = worker;
    this.host = host;
    this.port = port;
    this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  protected void onStart() throws IOException {
    ServerSocket ss = new ServerSocket();
    ss.bind(new InetSocketAddress(host, port));
    server = ss;
    int bound = ss.getLocalPort();
    log.info("Console listening on {}:{} (connect with: nc {} {})", host, bound, host, bound);
    addTask("accept", () -> accept(ss));
  }

  @Override
  protected void onStop() throws IOException {
    // ends accept() and every session's readLine() before the tasks are joined
    ServerSocket ss = server;
    if (ss != null) ss.close();
    for (Socket s : connections) s.close();
  }

  private void accept(ServerSocket ss) throws IOException {
    while (!shouldStop()) {
      Socket s;
      try {
        s = ss.accept();
      } catch (IOException e) {
        if (shouldStop() || ss.isClosed()) return;
        throw e;
      }
      connections.add(s);
      addTask("session " + s.getRemoteSocketAddress(), () -> session(s));
    }
  }

  private void session(Socket s) throws IOException {
    try (s) {
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8);
      if (token != null) {
        out.print("token: ");
        out.flush();
        String given = in.readLine();
        if (given == null || !MessageDigest.isEqual(token, given.strip().getBytes(StandardCharsets.UTF_8))) {
          out.println("Wrong token; closing.");
          log.warn("Console: wrong token from {}", s.getRemoteSocketAddress());
          return;
        }
      }
      out.println("Mode for Java console. Type 'help' for the commands.");
      for (;;) {
        out.print(PROMPT);
        out.flush();
        String line = in.readLine();
        if (line == null) return;
        line = line.strip();
        if (line.isEmpty()) continue;
        if (line.equalsIgnoreCase("quit") || line.equalsIgnoreCase("exit")) {
          out.println("Bye.");
          return;
        }
        out.print(run(line));
        out.flush();
      }
    } catch (IOException e) {
      if (!shouldStop()) log.debug("Console session ended: {}", e.toString());
    } finally {
      connections.remove(s);
    }
  }

  /** Runs one command line and returns its answer, each line ending in a newline. */
  String run(String line) {
    String[] words = line.split("\\s+", 2);
    String cmd = words[0].toLowerCase(Locale.ROOT);
    String arg = words.length > 1 ? words[1].strip() : "";
    try {
      return switch (cmd) {
        case "help" -> help();
        case "tree" -> tree();
        case "tasks" -> listTasks();
        case "stack" -> withService(arg, "stack", s -> "== " + s.path() + " [" + s.state() + "]\n" + ThreadDump.ofService(s));
        case "timers" -> listTimers();
        case "threads" -> ThreadDump.of(worker);
        case "restart" -> withService(arg, "restart", this::restart);
        case "stop" -> withService(arg, "stop", this::stopService);
        case "loglevel" -> LogLevelCommand.run(arg);
        default -> "Unknown command '" + words[0] + "'. Did you mean '" + closest(cmd) + "'? Type 'help' for the commands.\n";
      };
    } catch (RuntimeException e) {
      log.warn("Console command '{}' failed", line, e);
      return "Failed: " + e + "\n";
    }
  }

  private static String help() {
    StringBuilder sb = new StringBuilder("Commands:\n");
    COMMANDS.forEach((c, h) -> sb.append(String.format("  %-8s %s%n", c, h)));
    sb.append("PATH is a service path as 'tree' shows it, e.g. Worker/App/Webserver (the Worker/ prefix may be left out).\n");
    return sb.toString();
  }

  private String tree() {
    StringBuilder sb = new StringBuilder();
    tree(worker, 0, sb);
    return sb.toString();
  }

  private static void tree(Service s, int depth, StringBuilder sb) {
    String name = "  ".repeat(depth) + s.shortLabel();
    sb.append(String.format("%-40s %-9s", name, s.state()));
    s.uptime().ifPresent(u -> sb.append(" up ").append(Durations.format(u)));
    if (s.restartCount() > 0) sb.append(" restarts=").append(s.restartCount());
    Throwable crash = s.crashReason();
    if (crash != null) sb.append(" crashed: ").append(crash);
    sb.append('\n');
    for (Service d : s.dependencies()) tree(d, depth + 1, sb);
  }

  private String listTasks() {
    StringBuilder sb = new StringBuilder();
    for (Service s : all()) {
      List<TaskInfo> tasks = s.tasks();
      if (tasks.isEmpty()) continue;
      sb.append(s.path()).append('\n');
      for (TaskInfo t : tasks) {
        sb.append("  ").append(t.kind()).append(' ').append(t.name());
        t.thread().ifPresentOrElse(
            th -> sb.append("  thread ").append(BlockingDetector.describe(th)),
            () -> sb.append("  (waiting for its service to start)"));
        sb.append('\n');
      }
    }
    if (sb.isEmpty()) sb.append("(no tasks)\n");
    sb.append("Use 'stack PATH' for the stacks of a service's threads.\n");
    return sb.toString();
  }

  private String listTimers() {
    StringBuilder sb = new StringBuilder();
    for (Service s : all()) {
      for (TimerInfo t : s.timers()) {
        sb.append(s.path()).append(' ').append(t.kind()).append(' ').append(t.name())
            .append(" every ").append(t.schedule())
            .append(": runs=").append(t.runs())
            .append(" overlaps=").append(t.overlaps())
            .append(" drifts(early/late)=").append(t.driftsEarly()).append('/').append(t.driftsLate())
            .append(" errors=").append(t.errors());
        t.lastRunStart().ifPresent(i -> sb.append(" last=").append(i));
        t.lastDuration().ifPresent(d -> sb.append(" took=").append(Durations.format(d)));
        t.lastError().ifPresent(e -> sb.append(" lastError=").append(e));
        sb.append(" next=").append(t.nextRun().map(Object::toString).orElse("-")).append('\n');
      }
    }
    if (sb.isEmpty()) sb.append("(no timers)\n");
    return sb.toString();
  }

  private String restart(Service s) {
    if (s == worker) return "Cannot restart the Worker itself; use 'stop Worker' and start the program again.\n";
    if (s == this) return "Cannot restart the console from a console session.\n";
    log.info("Console: restarting {}", s.path());
    s.restart();
    return "Restarted " + s.path() + ": " + s.state() + "\n";
  }

  private String stopService(Service s) {
    if (s == worker) {
      worker.requestStop(Worker.EXIT_OK, "Stopping: requested from the console...", true);
      return "Stopping the Worker.\n";
    }
    if (s == this) return "Cannot stop the console from a console session; use 'quit'.\n";
    log.info("Console: stopping {}", s.path());
    s.stop();
    return "Stopped " + s.path() + ": " + s.state() + "\n";
  }

  private String withService(String path, String cmd, Function<Service, String> action) {
    if (path.isEmpty()) return "Usage: " + cmd + " PATH (see 'tree' for the paths)\n";
    Optional<Service> found = find(path);
    if (found.isEmpty()) {
      List<String> paths = new ArrayList<>();
      for (Service s : all()) paths.add(s.path());
      return "No service at '" + path + "'. Did you mean '" + closestOf(path, paths) + "'?\n";
    }
    return action.apply(found.get());
  }

  Optional<Service> find(String path) {
    String root = worker.path();
    String full = path.equals(root) || path.startsWith(root + "/") ? path : root + "/" + path;
    for (Service s : all()) if (s.path().equals(full)) return Optional.of(s);
    return Optional.empty();
  }

  private List<Service> all() {
    List<Service> out = new ArrayList<>();
    collect(worker, out);
    return out;
  }

  private static void collect(Service s, List<Service> out) {
    out.add(s);
    for (Service d : s.dependencies()) collect(d, out);
  }

  static String closest(String word) {
    return closestOf(word, COMMANDS.keySet());
  }

  static String closestOf(String word, Iterable<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(word.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    return best;
  }

  // Levenshtein edit distance
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
