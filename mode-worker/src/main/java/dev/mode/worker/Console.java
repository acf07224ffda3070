package dev.mode.worker;

import dev.mode.Durations;
import dev.mode.Service;
import dev.mode.TaskInfo;
import dev.mode.TimerInfo;
import dev.mode.graph.DependencyGraph;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
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

  /** The longest line a client may send, token line included; a longer one closes the session. */
  static final int MAX_LINE_CHARS = 4096;
  /** Sessions open at once; one more is told so and closed. */
  static final int MAX_SESSIONS = 8;
  /** A session that sends nothing for this long is closed. */
  static final Duration IDLE_TIMEOUT = Duration.ofMinutes(10);

  private final Worker worker;
  private final String host;
  private final int port;
  private final byte[] token;
  private final int maxLineChars;
  private final int maxSessions;
  private final Duration idleTimeout;
  private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
  private volatile ServerSocket server;

  Console(Worker worker, String host, int port, String token) {
    this(worker, host, port, token, MAX_LINE_CHARS, MAX_SESSIONS, IDLE_TIMEOUT);
  }

  Console(Worker worker, String host, int port, String token, int maxLineChars, int maxSessions, Duration idleTimeout) {
    this.worker = worker;
    this.host = host;
    this.port = port;
    this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
    this.maxLineChars = maxLineChars;
    this.maxSessions = maxSessions;
    this.idleTimeout = idleTimeout;
  }

  /** The port the console listens on, once started. */
  int boundPort() {
    return server.getLocalPort();
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
      if (connections.size() >= maxSessions) {
        refuse(s);
        continue;
      }
      connections.add(s);
      addTask("session " + s.getRemoteSocketAddress(), () -> session(s));
    }
  }

  // answers on the accept task itself: a short write to a fresh socket's empty send buffer
  private void refuse(Socket s) {
    try (s) {
      s.setSoTimeout(1000);
      PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8);
      out.println("Too many console sessions (" + maxSessions + " open); closing. Try again later.");
      log.warn("Console: refused {}: {} sessions are open already", s.getRemoteSocketAddress(), maxSessions);
    } catch (IOException e) {
      log.debug("Console: could not refuse {}: {}", s.getRemoteSocketAddress(), e.toString());
    }
  }

  private void session(Socket s) throws IOException {
    try (s) {
      converse(s);
    } finally {
      connections.remove(s);
    }
  }

  // the socket stays open until this returns, so a closing answer is written before the close
  private void converse(Socket s) {
    PrintWriter out = null;
    try {
      s.setSoTimeout(Math.toIntExact(Math.min(Integer.MAX_VALUE, Math.max(1, idleTimeout.toMillis()))));
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8);
      if (token != null) {
        out.print("token: ");
        out.flush();
        String given = readLine(in);
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
        String line = readLine(in);
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
    } catch (LineTooLong e) {
      closeWith(s, out, "Line longer than " + maxLineChars + " characters; closing.");
      log.warn("Console: closed {}: a line longer than {} characters", s.getRemoteSocketAddress(), maxLineChars);
    } catch (SocketTimeoutException e) {
      closeWith(s, out, "Idle for " + Durations.format(idleTimeout) + "; closing.");
      log.info("Console: closed {}: idle for {}", s.getRemoteSocketAddress(), Durations.format(idleTimeout));
    } catch (IOException e) {
      if (!shouldStop()) log.debug("Console session ended: {}", e.toString());
    }
  }

  // Writes the last answer, ends the output, then discards what the client still sends (at most
  // 1 MiB, for at most 1 s): closing with unread input would reset the connection and lose the answer.
  private static void closeWith(Socket s, PrintWriter out, String message) {
    out.println();
    out.println(message);
    try {
      s.shutdownOutput();
      s.setSoTimeout(1000);
      InputStream in = s.getInputStream();
      byte[] discard = new byte[8192];
      long deadline = System.nanoTime() + 1_000_000_000L;
      for (long total = 0; total < (1 << 20) && System.nanoTime() < deadline; ) {
        int n = in.read(discard);
        if (n < 0) break;
        total += n;
      }
    } catch (IOException e) {
      // the client is gone or still sending: close anyway
    }
  }

  // a line without its end (\n, \r\n), or null at the end of the stream; never more than maxLineChars
  private String readLine(BufferedReader in) throws IOException {
    StringBuilder line = new StringBuilder(80);
    for (;;) {
      int c = in.read();
      if (c < 0) return line.isEmpty() ? null : line.toString();
      if (c == '\n') break;
      if (line.length() >= maxLineChars) throw new LineTooLong();
      line.append((char) c);
    }
    int end = line.length();
    if (end > 0 && line.charAt(end - 1) == '\r') line.setLength(end - 1);
    return line.toString();
  }

  private static final class LineTooLong extends IOException {
    private static final long serialVersionUID = 1L;

    LineTooLong() {
      super(null, null);
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
        case "stack" -> withService(arg, "stack", ThreadDump::ofService);
        case "timers" -> listTimers();
        case "threads" -> ThreadDump.take(worker).toText();
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
    DependencyGraph.walk(worker, (s, depth) -> {
      String name = "  ".repeat(depth - 1) + s.shortLabel();
      sb.append(String.format("%-40s %-9s", name, s.state()));
      s.uptime().ifPresent(u -> sb.append(" up ").append(Durations.format(u)));
      if (s.restartCount() > 0) sb.append(" restarts=").append(s.restartCount());
      Throwable crash = s.crashReason();
      if (crash != null) sb.append(" crashed: ").append(crash);
      sb.append('\n');
    });
    return sb.toString();
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
            th -> sb.append("  thread ").append(ThreadDump.describe(th)),
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
    Optional<Service> found = ServicePaths.find(worker, path);
    if (found.isEmpty()) {
      return "No service at '" + path + "'. Did you mean '" + ServicePaths.nearest(worker, path) + "'?\n";
    }
    return action.apply(found.get());
  }

  private List<Service> all() {
    List<Service> out = new ArrayList<>();
    DependencyGraph.walk(worker, (s, depth) -> out.add(s));
    return out;
  }

  static String closest(String word) {
    return ServicePaths.nearest(word.toLowerCase(Locale.ROOT), COMMANDS.keySet());
  }
}
