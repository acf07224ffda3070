package dev.mode.worker;

import dev.mode.Activity;
import dev.mode.Durations;
import dev.mode.Service;
import dev.mode.State;
import dev.mode.graph.DependencyGraph;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.StringJoiner;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine;

/**
 * Runs services as a program: parses the command line, sets up logging, starts the services, and
 * runs until a signal, a crash or a request stops them; then returns (or exits with) an exit code.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *   new Worker(new App()).executeFromCommandLine(args);
 * }
 * }</pre>
 *
 * <p>The Worker is itself the root service, labelled {@code Worker}: the given services are its
 * dependencies, so their paths read {@code Worker/App/Cache} and their log lines {@code [^-App]: …}.
 * It starts them in the order given (after the blocking detector, the console and the extensions'
 * services, when those are on) and stops them in reverse.
 *
 * <p>What stops it, and the exit code that follows:
 *
 * <ul>
 *   <li>{@value #EXIT_OK}: SIGTERM, SIGINT or SIGHUP ("Stopping on signal received..."), {@link #exit(int)
 *       exit(0)}, {@code stop Worker} on the console, or {@link #stop()}, then a clean stop;
 *   <li>{@value #EXIT_CRASH}: a crash that reached the Worker (a service crash no supervisor
 *       handled, or a failed start), or a stop still unfinished when the shutdown timeout passed;
 *   <li>{@value #EXIT_USAGE}: a bad command line (nothing is started);
 *   <li>{@value #EXIT_OUT_OF_MEMORY}: an {@link OutOfMemoryError} crashed a service or escaped a
 *       thread;
 *   <li>{@value #EXIT_FORCED}: a second SIGINT during the stop (the stop is abandoned);
 *   <li>any other code a service asks for: {@link #exit(int)}, or a crash whose reason is an {@link
 *       ExitException}.
 * </ul>
 *
 * <p>SIGUSR1 prints every thread, virtual ones included, grouped under the path of the service that
 * owns it, to standard error; the program goes on. The whole stop is bounded by the shutdown timeout
 * ({@code --shutdown-timeout}, default 30 s): the services still stopping then are named in the log
 * and {@code execute} returns anyway.
 *
 * <p>Every option (the Worker's, and those extensions and {@link Builder#options} add) is read from
 * the command line, else from its environment variable ({@code --admin-port}: {@code
 * MODE_ADMIN_PORT}), else from the {@code --config} properties file ({@code admin-port=6066}), else
 * its default; a bad value from any of them ends {@code execute} with {@value #EXIT_USAGE} and one
 * line naming its source. Services read their own keys by the same rule with {@link #settings()}.
 *
 * <p>Threading: {@link #execute} blocks the calling thread until the end and may be called once per
 * Worker, with at most one Worker executing per JVM. {@link #exit(int)} and {@link #running()} are
 * safe from any thread.
 */
public final class Worker extends Service {
  /** A clean stop. */
  public static final int EXIT_OK = 0;
  /** A crash reached the Worker, or the shutdown timeout passed. */
  public static final int EXIT_CRASH = 1;
  /** A bad command line. */
  public static final int EXIT_USAGE = 2;
  /** An {@link OutOfMemoryError} (BSD's EX_OSERR). */
  public static final int EXIT_OUT_OF_MEMORY = 71;
  /** A second SIGINT forced the exit during the stop (128 + SIGINT). */
  public static final int EXIT_FORCED = 130;

  private static final AtomicReference<Worker> RUNNING = new AtomicReference<>();

  private final List<Service> services;
  private final WorkerOptions.Defaults defaults;
  private final List<WorkerExtension> builderExtensions;
  private final boolean loadExtensions;
  private final boolean configureLogging;
  private final String commandName;
  private final Map<String, String> environment;

  private final WorkerOptions options = new WorkerOptions();
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final AtomicBoolean executed = new AtomicBoolean();
  private final AtomicBoolean stopRequested = new AtomicBoolean();
  // The start thread claims this before start(); a stop that claims it first means no start at all.
  // Otherwise the stop waits on startBegun (STARTING reached, or the start thread gone) so that its
  // stop() cannot find the Worker still in INIT and be undone by the start that follows.
  private final AtomicBoolean startClaimed = new AtomicBoolean();
  private final CountDownLatch startBegun = new CountDownLatch(1);
  private volatile List<Service> startOrder;
  private volatile List<WorkerExtension> extensions = List.of();
  private volatile Thread.UncaughtExceptionHandler previousHandler;
  private volatile Settings settings;
  private boolean loggingConfigured; // by run(), on the thread that executes

  /** A Worker for {@code services} with the default options (the command line may change them). */
  public Worker(Service... services) {
    this(new Builder().services(services));
  }

  private Worker(Builder b) {
    this.services = List.copyOf(b.services);
    this.defaults = b.defaults;
    this.builderExtensions = List.copyOf(b.extensions);
    this.loadExtensions = b.loadExtensions;
    this.configureLogging = b.configureLogging;
    this.commandName = b.commandName;
    this.environment = b.environment;
    this.startOrder = services;
  }

  /** A builder for a Worker running {@code services}; every command-line option has a setter. */
  public static Builder builder(Service... services) {
    return new Builder().services(services);
  }

  /**
   * The Worker executing in this JVM, for example to end the program from a service: {@code
   * Worker.running().exit(3)}. (Named so because {@link Service#current()} is the service of the
   * current thread.)
   *
   * @throws IllegalStateException if none is executing
   */
  public static Worker running() {
    Worker w = RUNNING.get();
    if (w == null) {
      throw new IllegalStateException("No Worker is running in this JVM (Worker.running() works while execute() runs)");
    }
    return w;
  }

  /**
   * The configuration of the Worker executing in this JVM, for a program's own settings: each key is
   * read from its environment variable ({@code db-url}: {@code MODE_DB_URL}), then from the {@code
   * --config} properties file, as the Worker's own options are. Available from the moment the command
   * line is parsed, so from any service's {@code onStart} on. Safe from any thread.
   *
   * <pre>{@code
   * String url = Worker.settings().get("db-url", "jdbc:h2:mem:app");
   * }</pre>
   *
   * @throws IllegalStateException if no Worker is executing (use {@link Settings#fromEnvironment()}
   *     there)
   */
  public static Settings settings() {
    Settings s = running().settings;
    if (s == null) throw new IllegalStateException("The Worker has not read its configuration yet");
    return s;
  }

  /**
   * Asks for a graceful stop after which the Worker ends with {@code code}. Returns at once; the
   * first stop request wins (a later one, or one during a stop, changes nothing). Safe from any
   * thread, including the services' tasks.
   *
   * @throws IllegalArgumentException if {@code code} is outside 0..255
   */
  public void exit(int code) {
    checkExitCode(code);
    requestStop(code, "Stopping: exit code " + code + " requested by " + Thread.currentThread().getName() + "...", true);
  }

  static int checkExitCode(int code) {
    if (code < 0 || code > 255) {
      throw new IllegalArgumentException("Exit code " + code + " is out of range: use 0 to 255");
    }
    return code;
  }

  @Override
  protected Iterable<? extends Service> onInitDependencies() {
    return startOrder;
  }

  /**
   * Runs the Worker with {@code args} as its command line and blocks until it has stopped; never
   * exits the JVM. {@code --help} and {@code --version} print and return {@value #EXIT_OK}; a bad
   * command line prints the error and the usage to standard error and returns {@value #EXIT_USAGE}.
   *
   * @return the exit code (see the class comment)
   * @throws IllegalStateException if this Worker has already executed, or another one is executing
   */
  public int execute(String... args) {
    Objects.requireNonNull(args, "args");
    if (!executed.compareAndSet(false, true)) {
      throw new IllegalStateException("This Worker has already run: create a new Worker to run again");
    }
    List<WorkerExtension> exts = new ArrayList<>(builderExtensions);
    if (loadExtensions) {
      // an extension given to the builder replaces the discovered one of the same class
      for (WorkerExtension found : ServiceLoader.load(WorkerExtension.class)) {
        if (builderExtensions.stream().noneMatch(e -> e.getClass() == found.getClass())) exts.add(found);
      }
    }
    CommandLine cl = new CommandLine(options);
    cl.setCommandName(commandName);
    OptionSources sources = new OptionSources(defaults, environment, () -> options.config);
    sources.install(cl);
    for (int i = 0; i < exts.size(); i++) {
      Object mixin = exts.get(i).options();
      if (mixin != null) cl.addMixin("extension" + i, mixin);
    }
    PrintStream err = System.err;
    try {
      cl.parseArgs(args);
      if (cl.isUsageHelpRequested()) {
        cl.usage(System.out);
        return EXIT_OK;
      }
      if (cl.isVersionHelpRequested()) {
        cl.printVersionHelp(System.out);
        return EXIT_OK;
      }
      if (sources.failure() != null) throw sources.failure();
      sources.checkFileForms(cl);
      options.validate(sources::origin);
      settings = sources.settings();
    } catch (ParameterException | IllegalArgumentException e) {
      // one line naming the value and its source; the usage follows when the command line was at fault
      boolean commandLine = e instanceof ParameterException p && !sources.fromConfiguration(p);
      err.println("Error: " + (e instanceof ParameterException p ? sources.message(p) : e.getMessage()));
      if (e instanceof UnmatchedArgumentException u) UnmatchedArgumentException.printSuggestions(u, err);
      if (commandLine) {
        err.println();
        cl.usage(err);
      }
      return EXIT_USAGE;
    }
    return run(exts);
  }

  /**
   * {@link #execute} the Worker, then exit the JVM with its exit code. The one place in Mode for
   * Java that calls {@link System#exit}; for {@code main} methods. Every log line and print queued
   * before the exit is written first.
   */
  public void executeFromCommandLine(String... args) {
    int code;
    try {
      code = execute(args);
    } catch (Throwable t) {
      t.printStackTrace();
      code = exitCodeFor(t);
    }
    LoggingSetup.flushForExit();
    System.exit(code);
  }

  private int run(List<WorkerExtension> exts) {
    if (!RUNNING.compareAndSet(null, this)) {
      throw new IllegalStateException("Another Worker is already running in this JVM: " + RUNNING.get());
    }
    SignalHandling signals = null;
    previousHandler = Thread.getDefaultUncaughtExceptionHandler();
    try {
      List<Service> extensionServices = new ArrayList<>();
      try {
        // checked before anything starts or logs: a bad setting is a usage error (exit 2), not a crash
        if (options.logfile != null && configureLogging) checkWritable(options.logfile);
        for (WorkerExtension e : exts) extensionServices.addAll(e.services(this));
      } catch (IllegalArgumentException e) {
        System.err.println("Error: " + e.getMessage());
        return EXIT_USAGE;
      }
      String logging = setUpLogging();
      extensions = List.copyOf(exts);
      Duration blocking = options.effectiveBlockingTimeout();
      List<Service> order = new ArrayList<>();
      if (blocking != null) order.add(new BlockingDetector(this, blocking));
      if (options.consolePort != null) {
        order.add(new Console(this, options.consoleHost, options.consolePort, options.effectiveConsoleToken()));
      }
      order.addAll(extensionServices);
      order.addAll(services);
      startOrder = List.copyOf(order);
      addListener(new StopListener());
      Thread.setDefaultUncaughtExceptionHandler(this::uncaught);
      Map<String, Runnable> handlers = new LinkedHashMap<>();
      Runnable graceful = () -> requestStop(EXIT_OK, "Stopping on signal received...", true);
      handlers.put("TERM", graceful);
      // a closed terminal or session (and some supervisors' reload) sends HUP: the JVM's default would
      // end the process with 129 and run no stop step
      handlers.put("HUP", graceful);
      handlers.put("INT", this::onSigint);
      handlers.put("USR1", this::dumpThreads);
      signals = SignalHandling.install(handlers, log);
      if (!options.quiet) printBanner(logging, blocking);
      Thread.ofPlatform().daemon().name("mode-worker-start").start(this::startAll);
      int code = loop();
      log.info("Exiting with code {}", code);
      return code;
    } finally {
      if (signals != null) signals.close();
      Thread.setDefaultUncaughtExceptionHandler(previousHandler);
      RUNNING.compareAndSet(this, null);
      if (loggingConfigured) LoggingSetup.release(); // everything written before execute returns
    }
  }

  /**
   * Fails with a one-line reason unless {@code file} can be created or appended to: not a directory,
   * and its nearest existing ancestor a writable directory (Logback creates the missing ones).
   */
  static void checkWritable(Path file) {
    Path f = file.toAbsolutePath();
    String bad = "Invalid value for option '--logfile': cannot write the log to " + file + ": ";
    if (Files.isDirectory(f)) throw new IllegalArgumentException(bad + "it is a directory; give a file path");
    if (Files.exists(f)) {
      if (!Files.isRegularFile(f) || !Files.isWritable(f)) throw new IllegalArgumentException(bad + "the file is not writable");
      return;
    }
    Path up = f.getParent();
    while (up != null && !Files.exists(up)) up = up.getParent();
    if (up == null) throw new IllegalArgumentException(bad + "no directory above it exists");
    if (!Files.isDirectory(up)) throw new IllegalArgumentException(bad + up + " is a file, not a directory");
    if (!Files.isWritable(up)) throw new IllegalArgumentException(bad + "the directory " + up + " is not writable");
  }

  private String setUpLogging() {
    if (!configureLogging) return "configured by the program (Worker.builder().configureLogging(false))";
    String user = LoggingSetup.userConfiguration();
    if (user != null) return "configured by " + user;
    loggingConfigured = true;
    String where = LoggingSetup.configure(options.loglevel, options.logfile, options.quiet);
    return options.loglevel + " to " + where;
  }

  private void startAll() {
    try {
      if (!startClaimed.compareAndSet(false, true)) return; // a stop came first
      start();
      events.add(Progress.STARTED);
    } catch (Throwable t) {
      events.add(new StartFailed(t.getCause() != null ? t.getCause() : t));
    } finally {
      startBegun.countDown();
    }
  }

  // The Worker's main loop: waits for a reason to stop, has the stop run on its own thread, and waits
  // for that up to the shutdown deadline.
  private int loop() {
    int code = EXIT_OK;
    boolean interrupted = false;
    boolean stopping = false;
    long deadline = 0;
    loop:
    for (;;) {
      Event ev;
      try {
        ev = stopping ? events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS) : events.take();
      } catch (InterruptedException e) {
        interrupted = true;
        requestStop(EXIT_OK, "Stopping: the thread running the Worker was interrupted...", true);
        continue;
      }
      if (ev == null) { // the deadline passed
        reportLaggards();
        if (code == EXIT_OK) code = EXIT_CRASH;
        break;
      }
      switch (ev) {
        case Progress.STARTED -> {
          if (!stopping) log.info("Ready");
        }
        case Progress.FORCE -> {
          log.warn("Second SIGINT: exiting now, without waiting for the stop to end");
          code = EXIT_FORCED;
          break loop;
        }
        case Progress.STOP_DONE -> {
          break loop;
        }
        case StartFailed f -> {
          if (stopRequested.compareAndSet(false, true)) {
            code = exitCodeFor(f.reason());
            stopping = true;
            deadline = beginStop(false);
          }
        }
        case Crashed c -> {
          code = exitCodeFor(c.reason());
          stopping = true;
          deadline = beginStop(false);
        }
        case StopRequested r -> {
          code = r.code();
          stopping = true;
          deadline = beginStop(r.graceful());
        }
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
    return code;
  }

  /** Starts a stop unless one was requested already; logs {@code message} if it does. */
  boolean requestStop(int code, String message, boolean graceful) {
    if (!stopRequested.compareAndSet(false, true)) return false;
    log.info(message);
    events.add(new StopRequested(code, graceful));
    return true;
  }

  private void onSigint() {
    if (!requestStop(EXIT_OK, "Stopping on signal received...", true)) events.add(Progress.FORCE);
  }

  private void dumpThreads() {
    log.info("SIGUSR1: dumping every thread to standard error");
    String dump = ThreadDump.take(this).toText();
    System.err.print(dump);
    System.err.flush();
  }

  // runs the stop on its own thread; returns the deadline for it
  private long beginStop(boolean graceful) {
    long deadline = System.nanoTime() + options.shutdownTimeout.toNanos();
    Thread.ofPlatform()
        .daemon()
        .name("mode-worker-stop")
        .start(
            () -> {
              try {
                if (graceful) {
                  for (WorkerExtension e : extensions) {
                    try {
                      e.beforeStop(this);
                    } catch (Throwable t) {
                      log.error("beforeStop of {} failed; the stop goes on", e.getClass().getName(), t);
                    }
                  }
                }
                if (!startClaimed.compareAndSet(false, true)) startBegun.await();
                stop();
              } catch (Throwable t) {
                log.error("The stop failed", t);
              } finally {
                events.add(Progress.STOP_DONE);
              }
            });
    return deadline;
  }

  // names the services that hold the stop up: STOPPING, with no STOPPING dependency below them
  private void reportLaggards() {
    StringJoiner names = new StringJoiner(", ");
    StringBuilder detail = new StringBuilder();
    collectLaggards(this, names, detail);
    log.error(
        "The shutdown timeout ({}) passed; exiting with services still stopping: {}{}",
        Durations.format(options.shutdownTimeout),
        names.length() == 0 ? "(none)" : names,
        detail);
  }

  private static void collectLaggards(Service root, StringJoiner names, StringBuilder detail) {
    List<Service> order = new ArrayList<>();
    List<Integer> depths = new ArrayList<>();
    DependencyGraph.walk(root, (s, depth) -> {
      order.add(s);
      depths.add(depth);
    });
    for (int i = 0; i < order.size(); i++) {
      Service s = order.get(i);
      if (s.state() != State.STOPPING) continue;
      boolean below = false; // in pre-order a service's subtree follows it, deeper than it
      for (int j = i + 1; j < order.size() && depths.get(j) > depths.get(i) && !below; j++) {
        below = order.get(j).state() == State.STOPPING;
      }
      if (below) continue;
      names.add(s.path());
      for (Activity a : s.activities()) {
        detail.append("\n  ").append(s.path()).append(" is in ").append(a.what()).append(" on thread ")
            .append(ThreadDump.describe(a.thread())).append(":\n")
            .append(ThreadDump.stack(ThreadDump.stackOf(a.thread())));
      }
      for (Thread t : s.threads()) {
        detail.append("\n  ").append(s.path()).append(" thread ").append(ThreadDump.describe(t)).append(":\n")
            .append(ThreadDump.stack(ThreadDump.stackOf(t)));
      }
    }
  }

  private void uncaught(Thread t, Throwable e) {
    if (exitCodeFor(e) == EXIT_OUT_OF_MEMORY) {
      requestStop(EXIT_OUT_OF_MEMORY, "Stopping: OutOfMemoryError in thread " + t.getName() + "...", false);
    }
    Thread.UncaughtExceptionHandler previous = previousHandler;
    if (previous != null) previous.uncaughtException(t, e);
    else log.error("Uncaught exception in thread {}", t.getName(), e);
  }

  /** 71 if an OutOfMemoryError caused it, an {@link ExitException}'s code, else 1. */
  static int exitCodeFor(Throwable reason) {
    int depth = 0;
    for (Throwable t = reason; t != null && depth < 32; t = t.getCause(), depth++) {
      if (t instanceof OutOfMemoryError) return EXIT_OUT_OF_MEMORY;
      if (t instanceof ExitException e) return e.code();
    }
    return EXIT_CRASH;
  }

  private void printBanner(String logging, Duration blocking) {
    StringJoiner labels = new StringJoiner(", ");
    for (Service s : services) labels.add(s.label());
    String console =
        options.consolePort == null
            ? "off"
            : options.consoleHost + ":" + (options.consolePort == 0 ? "(a free port)" : options.consolePort);
    String banner =
        "Mode for Java " + WorkerOptions.version() + " | pid " + ProcessHandle.current().pid()
            + " | Java " + Runtime.version() + "\n"
            + "  services           " + labels + "\n"
            + "  log                " + logging + "\n"
            + "  blocking detector  " + (blocking == null ? "off" : "on, timeout " + Durations.format(blocking)) + "\n"
            + "  console            " + console + "\n"
            + admin()
            + "  shutdown timeout   " + Durations.format(options.shutdownTimeout) + "\n";
    System.out.print(banner);
    System.out.flush();
  }

  // one banner line per extension that says where it listens (the admin: its address)
  private String admin() {
    StringBuilder lines = new StringBuilder();
    for (WorkerExtension e : extensions) {
      String where = e.bannerLine();
      if (where != null) lines.append(where).append('\n');
    }
    return lines.toString();
  }

  // turns the Worker's own crash, or a stop() someone else called, into an event for the loop
  private final class StopListener implements Listener {
    @Override
    public void crashed(Service service, Throwable reason) {
      if (service == Worker.this && stopRequested.compareAndSet(false, true)) events.add(new Crashed(reason));
    }

    @Override
    public void stateChanged(Service service, State from, State to) {
      if (service == Worker.this && to == State.STARTING) startBegun.countDown();
      if (service == Worker.this && to == State.STOPPING) {
        requestStop(EXIT_OK, "Stopping: Worker.stop() was called...", false);
      }
    }
  }

  private sealed interface Event permits Progress, StartFailed, Crashed, StopRequested {}

  private enum Progress implements Event {
    STARTED,
    FORCE, // a second SIGINT
    STOP_DONE
  }

  private record StartFailed(Throwable reason) implements Event {}

  private record Crashed(Throwable reason) implements Event {}

  private record StopRequested(int code, boolean graceful) implements Event {}

  /**
   * Sets every Worker option before the command line is read; the command line, the environment and
   * the {@code --config} file override them, and {@code --help} shows the values in force as the
   * defaults. Not thread-safe; build once.
   */
  public static final class Builder {
    private final List<Service> services = new ArrayList<>();
    private final WorkerOptions.Defaults defaults = new WorkerOptions.Defaults();
    private final List<WorkerExtension> extensions = new ArrayList<>();
    private boolean loadExtensions = true;
    private boolean configureLogging = true;
    private String commandName = "worker";
    private Map<String, String> environment = System.getenv();

    private Builder() {}

    /** Adds services to run, in start order. */
    public Builder services(Service... more) {
      for (Service s : more) services.add(Objects.requireNonNull(s, "service"));
      return this;
    }

    /** The program's name in {@code --help} (default {@code worker}). */
    public Builder name(String commandName) {
      this.commandName = Objects.requireNonNull(commandName, "commandName");
      return this;
    }

    /**
     * {@code --config}: the properties file read for the options neither the command line nor the
     * environment sets; null for none.
     */
    public Builder config(Path file) {
      defaults.put("--config", file);
      return this;
    }

    /** The environment variables to read instead of the process's (for tests). */
    Builder environment(Map<String, String> variables) {
      this.environment = Map.copyOf(variables);
      return this;
    }

    /** {@code --loglevel}: debug, info, warn or error, any case (default info). */
    public Builder loglevel(String level) {
      defaults.put("--loglevel", WorkerOptions.parseLevel(level));
      return this;
    }

    /** {@code --logfile}: log to this file instead of standard output; null for standard output. */
    public Builder logfile(Path file) {
      defaults.put("--logfile", file);
      return this;
    }

    /** {@code --blocking-timeout}: turns the blocking detector on with this timeout; null for off. */
    public Builder blockingTimeout(Duration timeout) {
      if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
        throw new IllegalArgumentException("Blocking timeout must be more than 0, got " + timeout);
      }
      defaults.put("--blocking-timeout", timeout);
      return this;
    }

    /** {@code --console-port}: opens the console on this port (0: any free port). */
    public Builder consolePort(int port) {
      if (port < 0 || port > 65535) throw new IllegalArgumentException(port + " is not a TCP port (0 to 65535)");
      defaults.put("--console-port", port);
      return this;
    }

    /** {@code --console-host}: the console's bind address (default 127.0.0.1). */
    public Builder consoleHost(String host) {
      defaults.put("--console-host", Objects.requireNonNull(host, "host"));
      return this;
    }

    /** {@code --console-token}: the secret a console client sends first; required off loopback. */
    public Builder consoleToken(String token) {
      defaults.put("--console-token", token);
      return this;
    }

    /** {@code --debug}: turns the blocking detector on (10 s unless a blocking timeout is set). */
    public Builder debug(boolean on) {
      defaults.put("--debug", on ? "true" : null);
      return this;
    }

    /** {@code --quiet}: no banner, only warnings and errors on the console. */
    public Builder quiet(boolean on) {
      defaults.put("--quiet", on ? "true" : null);
      return this;
    }

    /** {@code --shutdown-timeout}: bound on the whole stop (default 30 s). */
    public Builder shutdownTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative()) throw new IllegalArgumentException("Shutdown timeout must not be negative, got " + timeout);
      defaults.put("--shutdown-timeout", timeout);
      return this;
    }

    /**
     * Whether the Worker configures Logback (default true). It never does when the program brings
     * its own configuration ({@code logback.xml} or {@code logback-test.xml} on the class path, or
     * {@code -Dlogback.configurationFile}); false leaves logging alone in every case.
     */
    public Builder configureLogging(boolean on) {
      this.configureLogging = on;
      return this;
    }

    /**
     * Adds an extension (see {@link WorkerExtension}); these come before the ServiceLoader's, and
     * replace a discovered extension of the same class.
     */
    public Builder extension(WorkerExtension extension) {
      extensions.add(Objects.requireNonNull(extension, "extension"));
      return this;
    }

    /**
     * Adds an object's picocli {@code @Option} fields to the command line (a picocli mixin); the
     * fields are filled in before any service starts.
     */
    public Builder options(Object picocliOptions) {
      Objects.requireNonNull(picocliOptions, "picocliOptions");
      return extension(
          new WorkerExtension() {
            @Override
            public Object options() {
              return picocliOptions;
            }
          });
    }

    /** Whether to load extensions with {@link ServiceLoader} (default true). */
    public Builder loadExtensions(boolean on) {
      this.loadExtensions = on;
      return this;
    }

    /** The Worker. */
    public Worker build() {
      return new Worker(this);
    }
  }
}
