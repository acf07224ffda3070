package dev.mode;

import dev.mode.graph.Node;
import dev.mode.time.ModeClock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import org.slf4j.Logger;

/**
 * A long-running part of a program that starts, stops, restarts and crashes as a unit, owns
 * dependencies (child services), and runs tasks, timers and cron jobs on virtual threads.
 *
 * <p>Users extend this class and override the callbacks they need ({@link #onStart()}, {@link
 * #onStop()}, ...), annotate methods with {@link Task @Task}, {@link Timer @Timer} and {@link
 * Crontab @Crontab}, and add dependencies in the constructor or in {@link #onInitDependencies()}:
 *
 * <pre>{@code
 * class App extends Service {
 *   final UserCache cache = addDependency(new UserCache());
 *
 *   @Task
 *   void serve() throws Exception {
 *     while (!shouldStop()) handle(queue.take());
 *   }
 *
 *   @Timer("30s")
 *   void report() { log.info("{} users", cache.size()); }
 * }
 * }</pre>
 *
 * <h2>Lifecycle</h2>
 *
 * <p>{@link #start()} runs {@code onInitDependencies} and {@code onFirstStart} (first start only),
 * {@code onStart}, starts each dependency fully in insertion order, then begins the tasks and timers
 * (so they may use what the dependencies provide), then {@code onStarted}; the service is RUNNING
 * when that returns. {@link #stop()} sets {@link #shouldStop()}, runs {@code onStop}, interrupts and
 * joins the tasks and timer runs (so none runs against a stopped dependency), stops the dependencies
 * in reverse order, closes the {@linkplain #addCloseable closeables} LIFO and runs {@code
 * onShutdown}. {@code onStop} and {@code onShutdown} run exactly once for each start that reached
 * {@code onStart}. Each wait of a stop is bounded by {@link #stopTimeout()}: a task, callback or
 * {@code close()} still running after it is logged at WARN with its stack and left behind, and the
 * stop goes on. See {@link State} for the states.
 *
 * <h2>Threading</h2>
 *
 * <p>Every public method is thread-safe and may be called from any thread, including the service's
 * own tasks. {@code start}, {@code stop} and {@code restart} block, so callbacks and tasks may simply
 * block too: on virtual threads this costs nothing. No lock is held while user code or a listener
 * runs. Start callbacks run on the thread that called {@code start}; stop callbacks and {@code
 * close()} run on a helper virtual thread named {@code path:stop} that the caller of {@code stop}
 * waits for (with the caller's MDC and {@link #current()}); tasks, timer runs and cron runs each run
 * on their own virtual thread, named {@code path:name}, with the service's {@linkplain #path() path}
 * in the SLF4J MDC under {@code mode.service}.
 */
public abstract class Service implements AutoCloseable {
  /** The MDC key under which the service path is set while service code runs. */
  public static final String MDC_KEY = "mode.service";
  /** The stop timeout of a new service. */
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);

  /**
   * This service's logger: lines start with {@code [^--Label]: } (one dash per depth below the root)
   * and go to the SLF4J logger named after the service's class.
   */
  protected final Logger log;

  // Identity and settings. The engine owns the lifecycle state; each other field has one writer,
  // named beside it (see package-info).
  final ClassModel model;
  final Lifecycle life; // the engine, and the lock guarding its state
  volatile Service parent; // written by ServiceTree
  volatile Service[] children = ServiceTree.none(); // written by ServiceTree
  volatile String path; // written by ServiceTree: cached, reset when the tree above changes
  volatile Listener[] listeners = Events.none(); // written by Events
  volatile Activity callback; // written by Callback: the lifecycle callback running now
  private volatile Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
  private volatile ModeClock clock; // null: the parent's, else the system clock

  /**
   * Creates a service in state INIT.
   *
   * @throws IllegalArgumentException if a {@code @Task}, {@code @Timer} or {@code @Crontab} on this
   *     class is invalid; the message names the method and the value
   */
  @SuppressWarnings("this-escape") // the logger, engine and jobs keep a reference; they use it only later
  protected Service() {
    this.model = ClassModel.of(getClass());
    this.log = new ServiceLogger(this, model.logger);
    this.life = new Lifecycle(this);
    for (JobSpec spec : model.jobs) {
      if (spec.kind != JobSpec.Kind.TASK) JobTable.addJob(life, new Job(this, spec));
    }
  }

  /**
   * A service made from a function (Mode's {@code from_awaitable}): {@code body} runs as the
   * service's one task, named {@code name}, at every start once the dependencies run; stop
   * interrupts it and waits for it (bounded by the stop timeout). An exception from {@code body}
   * crashes the service; returning leaves the service RUNNING with nothing to do.
   *
   * <pre>{@code
   * Service pump = Service.of("Pump", () -> {
   *   while (true) out.put(in.take());   // take() ends with InterruptedException at stop
   * });
   * }</pre>
   *
   * @param name the service's label and the task's name
   * @param body what the service does while it runs
   * @return a new service in state INIT
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static Service of(String name, ThrowingRunnable body) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(body, "body");
    if (name.isBlank()) throw new IllegalArgumentException("A service needs a name, got \"" + name + "\"");
    return new FunctionService(name, body);
  }

  // ------------------------------------------------------------------------------------------
  // Callbacks

  /**
   * Returns services to add as dependencies; called once, at the first start, before {@link
   * #onFirstStart()}, on the starting thread. Default: none.
   */
  protected Iterable<? extends Service> onInitDependencies() throws Exception {
    return List.of();
  }

  /** Called at the first start only, before {@link #onStart()}. */
  protected void onFirstStart() throws Exception {}

  /** Called at every start, before dependencies, tasks and timers start. */
  protected void onStart() throws Exception {}

  /** Called at every start when all dependencies are running; RUNNING follows when it returns. */
  protected void onStarted() throws Exception {}

  /**
   * First stop step, with {@link #shouldStop()} already true; dependencies and tasks still run. Runs
   * on the stop's helper thread, bounded by {@link #stopTimeout()}.
   */
  protected void onStop() throws Exception {}

  /**
   * Last stop step: tasks, dependencies and closeables are done. Runs on the stop's helper thread,
   * bounded by {@link #stopTimeout()}.
   */
  protected void onShutdown() throws Exception {}

  /** Called by {@link #restart()} after the service is reset and before it starts again. */
  protected void onRestart() throws Exception {}

  /**
   * Called at once when a dependency crashes while it is RUNNING (or never started), on the thread
   * that crashed it. A crash during the dependency's own start fails that start instead (the caller
   * of {@code start()} gets the exception), and a crash during its stop is left to that stop. The
   * default propagates the crash: this service crashes with the same reason (a no-op if it is
   * already crashed or stopped). Supervisors override it to restart instead. Must not block: hand
   * the work to another thread.
   */
  protected void onDependencyCrashed(Service dependency, Throwable reason) {
    life.crash(reason, dependency);
  }

  // ------------------------------------------------------------------------------------------
  // Lifecycle

  /**
   * Starts this service and its dependencies, and blocks until all are RUNNING.
   *
   * <p>A RUNNING service: no-op. A service another thread is starting: waits for that start and
   * shares its outcome. A stopped or crashed service: {@linkplain #restart() restarted}. If {@link
   * #stop()} is called meanwhile, start stops at its next step and returns without error.
   *
   * @throws ServiceException if a start callback, a task or a dependency fails; by then everything
   *     this call started has been stopped again in reverse order and the service is CRASHED with the
   *     failure as {@link #crashReason()} (also the exception's cause)
   * @throws IllegalStateException if the service's parent is stopping
   */
  public final void start() {
    life.start(true, null);
  }

  /**
   * Stops this service and its dependencies and blocks until the stop is complete (section "Lifecycle"
   * above). Idempotent; safe from any thread. Called from one of the service's own tasks (or a
   * dependency's), it does not wait for that task, which cannot end while it is inside this call; the
   * task should return when it sees {@link #shouldStop()}.
   *
   * <p>Never throws for failing callbacks or closeables: they are logged and the stop goes on. A task
   * still running after {@link #stopTimeout()} is logged with its stack and abandoned. On a service
   * never started: moves it to SHUTDOWN without calling callbacks. A CRASHED service stays CRASHED.
   */
  public final void stop() {
    Stopping.stop(life);
  }

  /** Same as {@link #stop()}. */
  @Override
  public final void close() {
    Stopping.stop(life);
  }

  /**
   * Stops this service, resets it (and its dependencies) to INIT, calls {@link #onRestart()}, and
   * starts it again. {@code onInitDependencies} and {@code onFirstStart} are not called again;
   * dependencies are kept. Restarts of one service are serialised: a second caller waits for the
   * first restart and then restarts again.
   *
   * @throws ServiceException if the new start fails (the service is then CRASHED)
   */
  public final void restart() {
    life.restart(null);
  }

  /**
   * Marks this service CRASHED with {@code reason}: {@link #shouldStop()} becomes true, sleepers wake,
   * {@link #awaitStopped} returns, and the crash is logged once at ERROR with its stack. No stop step
   * runs here: whoever handles the crash (a supervisor, the parent, the Worker, the user) stops or
   * restarts the service. Outside a start or stop, the parent is told at once (see {@link
   * #onDependencyCrashed}); by default it crashes too, up to the root. Crashing a service that is
   * already CRASHED, or SHUTDOWN, changes nothing.
   */
  public final void crash(Throwable reason) {
    life.crash(Objects.requireNonNull(reason, "reason"), this);
  }

  // the default onDependencyCrashed, guarded: a throwing override is logged
  final void dependencyCrashed(Service child, Throwable reason) {
    try {
      onDependencyCrashed(child, reason);
    } catch (Throwable t) {
      log.error("onDependencyCrashed({}) failed", child.path(), t);
    }
  }

  /** Why this service crashed; null unless it is CRASHED. */
  public final Throwable crashReason() {
    return life.crashReason();
  }

  /** The current state. */
  public final State state() {
    return life.state();
  }

  /** True from the moment a stop or crash begins until the service is reset for a restart. */
  public final boolean shouldStop() {
    return life.run.stopRequested;
  }

  /**
   * Sleeps for {@code duration} on the service's {@linkplain #clock() clock}.
   *
   * @return true if the full time passed; false if woken early because the service is stopping or
   *     crashed, or because the thread was interrupted (the interrupt flag is then kept)
   */
  public final boolean sleep(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    Run r = life.run;
    Thread t = Thread.currentThread();
    if (r.stopRequested || t.isInterrupted()) return false;
    ModeClock c = clock();
    long deadline = c.deadlineAfter(duration);
    r.addSleeper(t);
    try {
      for (;;) {
        if (r.stopRequested || t.isInterrupted()) return false;
        if (c.nanoTime() - deadline >= 0) return true;
        c.parkUntil(deadline);
      }
    } finally {
      r.removeSleeper(t);
    }
  }

  /**
   * Waits (in real time) until this service has stopped or crashed.
   *
   * @return true if it is SHUTDOWN or CRASHED, or stopped or crashed within {@code timeout}; false on
   *     timeout or interrupt (the interrupt flag is then kept)
   */
  public final boolean awaitStopped(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    return life.awaitStopped(Durations.toNanosSaturated(timeout));
  }

  /**
   * Waits (in real time) for {@code future}, or less: the wait ends early, saying so in the result,
   * when this service begins to stop or crashes, when {@code timeout} passes, or when the thread is
   * interrupted (its flag is kept). The future itself is never cancelled. Any thread may wait; a
   * task of this service blocked here is woken by its stop or crash, where a plain {@code
   * future.get()} is not (Mode's {@code wait}).
   *
   * <pre>{@code
   * WaitResult<Reply> r = waitFor(client.send(request), Duration.ofSeconds(5));
   * if (r.stopped()) return;
   * }</pre>
   *
   * @param <T> the future's value type
   * @param future what to wait for
   * @param timeout any duration; {@code ChronoUnit.FOREVER.getDuration()} means no bound
   * @return the outcome; {@link WaitResult#index()} is 0 when the future finished
   */
  public final <T> WaitResult<T> waitFor(Future<T> future, Duration timeout) {
    Objects.requireNonNull(future, "future");
    return waitForFirst(List.of(future), timeout);
  }

  /**
   * As {@link #waitFor(Future, Duration)}; resolves the overloads for a {@link CompletableFuture}.
   *
   * @param <T> the future's value type
   * @param future what to wait for
   * @param timeout any duration
   * @return the outcome
   */
  public final <T> WaitResult<T> waitFor(CompletableFuture<T> future, Duration timeout) {
    return waitFor((Future<T>) future, timeout);
  }

  /**
   * As {@link #waitFor(Future, Duration)}, for any {@link CompletionStage}. A stage that fails with
   * a {@link java.util.concurrent.CompletionException} is reported with its cause.
   *
   * @param <T> the stage's value type
   * @param stage what to wait for
   * @param timeout any duration
   * @return the outcome
   */
  public final <T> WaitResult<T> waitFor(CompletionStage<T> stage, Duration timeout) {
    Objects.requireNonNull(stage, "stage");
    return waitFor(Waiting.asFuture(stage), timeout);
  }

  /**
   * Waits for the first of {@code futures} to finish, with the same early ends as {@link
   * #waitFor(Future, Duration)} (Mode's {@code wait_first}). If several are already done, the first
   * in list order is reported. The others are left running.
   *
   * @param <T> the futures' value type
   * @param futures what to wait for, at least one
   * @param timeout any duration
   * @return the outcome; {@link WaitResult#index()} says which future finished
   * @throws IllegalArgumentException if {@code futures} is empty
   */
  public final <T> WaitResult<T> waitForFirst(List<? extends Future<? extends T>> futures, Duration timeout) {
    Objects.requireNonNull(futures, "futures");
    Objects.requireNonNull(timeout, "timeout");
    if (futures.isEmpty()) throw new IllegalArgumentException("waitForFirst needs at least one future, got none");
    for (Future<? extends T> f : futures) Objects.requireNonNull(f, "futures contains null");
    return Waiting.first(this, futures, Durations.toNanosSaturated(timeout));
  }

  /**
   * Waits until every one of {@code futures} has finished, with the same early ends as {@link
   * #waitFor(Future, Duration)} (Mode's {@code wait_many}): a stop or crash of this service, an
   * interrupt, or the timeout end the wait and leave the futures running. When all have finished the
   * result is COMPLETED with their values in list order ({@link WaitResult#index()} is -1), or, if any
   * failed or was cancelled, FAILED or CANCELLED for the first such future in list order (its index).
   *
   * @param <T> the futures' value type
   * @param futures what to wait for, at least one
   * @param timeout any duration
   * @return the outcome
   * @throws IllegalArgumentException if {@code futures} is empty
   */
  public final <T> WaitResult<List<T>> waitForAll(List<? extends Future<? extends T>> futures, Duration timeout) {
    Objects.requireNonNull(futures, "futures");
    Objects.requireNonNull(timeout, "timeout");
    if (futures.isEmpty()) throw new IllegalArgumentException("waitForAll needs at least one future, got none");
    for (Future<? extends T> f : futures) Objects.requireNonNull(f, "futures contains null");
    return Waiting.all(this, futures, Durations.toNanosSaturated(timeout));
  }

  // ------------------------------------------------------------------------------------------
  // Dependencies

  /**
   * Adds {@code dependency} as a child: it starts after this service's {@code onStart} and before its
   * tasks and timers begin, and stops after they end and before its {@code onShutdown}. Adding the
   * same child again is a no-op. Does not start the child (see {@link #addRuntimeDependency}).
   *
   * @return {@code dependency}
   * @throws IllegalArgumentException if it would make a cycle (the message names it)
   * @throws IllegalStateException if {@code child} already has another parent (the message names
   *     both)
   */
  public final <S extends Service> S addDependency(S dependency) {
    Service child = Objects.requireNonNull(dependency, "dependency");
    if (ServiceTree.attach(this, child)) Events.dependencyAdded(this, child);
    return dependency;
  }

  /**
   * As {@link #addDependency}, and if this service is running (past {@code onStart}), starts the
   * child now; returns once it runs.
   *
   * @throws ServiceException if the child fails to start (it is then CRASHED; this service is not)
   */
  public final <S extends Service> S addRuntimeDependency(S child) {
    addDependency(child);
    boolean startNow;
    life.lock();
    try {
      State s = life.state;
      startNow = s == State.RUNNING || (s == State.STARTING && life.run.depsStarting);
    } finally {
      life.unlock();
    }
    if (startNow) child.start();
    return child;
  }

  /**
   * Detaches {@code child} from this service and stops it. When this returns the child is detached
   * and not running, even if a start or restart of this service raced the removal (SPEC §2).
   *
   * @throws IllegalArgumentException if it is not a dependency of this service
   */
  public final void removeDependency(Service child) {
    Objects.requireNonNull(child, "child");
    if (child.parent != this) {
      throw new IllegalArgumentException(
          "Cannot remove " + child.path() + ": it is not a dependency of " + path());
    }
    // detached first, then stopped: a start of this service racing the removal no longer sees the
    // child, and one that already picked it finds it detached and skips it (SPEC §2)
    if (!ServiceTree.detach(this, child)) return;
    child.stop();
    Events.dependencyRemoved(this, child);
  }

  /** The dependencies, in insertion order: an immutable snapshot. */
  public final List<Service> dependencies() {
    return List.of(children);
  }

  /** The service this one is a dependency of, if any. */
  public final Optional<Service> parent() {
    return Optional.ofNullable(parent);
  }

  /** This service's node in the service tree. */
  public final Node beacon() {
    return Node.of(this);
  }

  // ------------------------------------------------------------------------------------------
  // Tasks, timers, cron, resources

  /**
   * Runs {@code body} on its own virtual thread of this service: now if the service is RUNNING or
   * STARTING (from {@code onStart}, before the dependencies start), else (INIT) when it next starts,
   * with the {@code @Task}s once the dependencies run. At stop it is interrupted and joined before the
   * dependencies stop. An exception crashes the service, except an {@link InterruptedException} while
   * stopping. Cancelling the returned future interrupts the task and is not a crash.
   *
   * @throws IllegalStateException if the service is stopping, stopped or crashed
   */
  public final Future<?> addTask(String name, ThrowingRunnable body) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(body, "body");
    return JobTable.addTask(life, name, body);
  }

  /** Adds a timer that runs {@code body} every {@code interval} (see {@link Timer}). */
  public final void addTimer(String name, Duration interval, ThrowingRunnable body) {
    addTimer(name, interval, false, false, body);
  }

  /**
   * Adds a timer: like {@link Timer @Timer} on a method. Declared for the life of the service: it runs
   * at every start, from now on if the service is running.
   *
   * @throws IllegalArgumentException if the interval is not positive or the name is taken
   */
  public final void addTimer(
      String name, Duration interval, boolean execFirst, boolean continueOnError, ThrowingRunnable body) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(body, "body");
    JobTable.addJob(life, new Job(this, JobSpec.timer(name, interval, execFirst, continueOnError, body, null)));
  }

  /** Adds a cron job (see {@link Crontab}); {@code zone} null means the system default. */
  public final void addCron(String name, String expression, ZoneId zone, ThrowingRunnable body) {
    addCron(name, expression, zone, false, body);
  }

  /**
   * Adds a cron job: like {@link Crontab @Crontab} on a method. Declared for the life of the service.
   *
   * @throws IllegalArgumentException if the expression is invalid (the message names it) or the name
   *     is taken
   */
  public final void addCron(
      String name, String expression, ZoneId zone, boolean continueOnError, ThrowingRunnable body) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(body, "body");
    ZoneId z = zone == null ? ZoneId.systemDefault() : zone;
    JobTable.addJob(life, new Job(this, JobSpec.cron(name, expression, z, continueOnError, body, null)));
  }

  /**
   * Registers {@code resource} to be closed at stop, after the tasks end and before {@code
   * onShutdown}, in reverse order of registration. Failures are logged and the stop goes on.
   *
   * @return {@code resource}
   * @throws IllegalStateException if this run's resources are already closed
   */
  public final <T extends AutoCloseable> T addCloseable(T resource) {
    Objects.requireNonNull(resource, "resource");
    return JobTable.addCloseable(life, resource);
  }

  /** The service whose task, timer or cron run is running on the current thread, if any. */
  public static Optional<Service> current() {
    return Optional.ofNullable(Callback.current());
  }

  // ------------------------------------------------------------------------------------------
  // Settings and introspection

  /** The per-service bound on each wait of a stop (default 10 s); see {@link #setStopTimeout}. */
  public final Duration stopTimeout() {
    return stopTimeout;
  }

  /**
   * Sets the bound on each wait of this service's stop: for its tasks and timer runs, for {@code
   * onStop}, for {@code onShutdown} and for each closeable's {@code close()}. Any duration;
   * {@code ChronoUnit.FOREVER.getDuration()} means no bound.
   *
   * @throws IllegalArgumentException if negative
   */
  public final void setStopTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("Stop timeout must not be negative, got " + timeout);
    }
    this.stopTimeout = timeout;
  }

  /** The clock this service sleeps and schedules on: its own, else its parent's, else the system's. */
  public final ModeClock clock() {
    for (Service s = this; s != null; s = s.parent) {
      ModeClock c = s.clock;
      if (c != null) return c;
    }
    return ModeClock.system();
  }

  /** Sets the clock for this service and the dependencies that do not set their own; before start. */
  public final void setClock(ModeClock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Times this service was reset for a restart. */
  public final int restartCount() {
    return life.restartCount;
  }

  /** The name graph nodes show. Default: the class's simple name (anonymous: {@code Outer.Super}). */
  public String label() {
    return model.defaultLabel;
  }

  /** The name log prefixes and tree paths use. Default: {@link #label()}. */
  public String shortLabel() {
    return label();
  }

  /** The path from the root, by {@link #shortLabel()}: {@code "Worker/App/Cache"}. */
  public final String path() {
    return ServiceTree.path(this);
  }

  /** How long the last start took, from "Starting..." to RUNNING; empty if it never ran. */
  public final Optional<Duration> startDuration() {
    long n = life.startNanos;
    return n < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(n));
  }

  /** How long the last stop took; empty if it never stopped. */
  public final Optional<Duration> stopDuration() {
    long n = life.stopNanos;
    return n < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(n));
  }

  /** How long it has been RUNNING; empty unless RUNNING. */
  public final Optional<Duration> uptime() {
    if (state() != State.RUNNING) return Optional.empty();
    return Optional.of(Duration.ofNanos(System.nanoTime() - life.runningSince));
  }

  /** Snapshot of the counters of every timer and cron job, in declaration order. */
  public final List<TimerInfo> timers() {
    return JobTable.timers(life);
  }

  /** Snapshot of the work this service's current run owns: tasks not yet ended, and timer runs in progress. */
  public final List<TaskInfo> tasks() {
    return JobTable.tasks(life);
  }

  /** Live threads running this service's tasks and timer runs: a snapshot. */
  public final List<Thread> threads() {
    return life.run.threads();
  }

  /** Callbacks and timer runs in progress: what a blocking detector watches. A snapshot. */
  public final List<Activity> activities() {
    return JobTable.activities(life, callback);
  }

  // ------------------------------------------------------------------------------------------
  // Listeners

  /**
   * Hears lifecycle events of a service and of every service below it in the tree. Methods run on
   * the thread that caused the event, after the change, with no lock held; they must be quick and
   * must not throw (a throw is logged). For one service, a listener sees its changes in order unless
   * two threads change it at once (a crash during a stop).
   */
  public interface Listener {
    /** {@code service} moved from {@code from} to {@code to}. */
    default void stateChanged(Service service, State from, State to) {}

    /** {@code service} crashed with {@code reason} (also reported as a change to CRASHED). */
    default void crashed(Service service, Throwable reason) {}

    /**
     * A timer or cron run of {@code service} ended; called on the run's own thread, after the run.
     *
     * @param timer the timer's or cron job's name
     * @param lateness how late the run's body began against its slot of the schedule (the first run
     *     plus whole intervals; for cron, the fire time), the wait for a carrier thread included;
     *     negative when early
     * @param runtime how long the run took
     * @param overlapped true if a timer's run took longer than its interval
     * @param error what the run threw, or null
     */
    default void timerRan(
        Service service, String timer, Duration lateness, Duration runtime, boolean overlapped, Throwable error) {}

    /**
     * {@code dependency}, with everything below it, was added under {@code parent}; called on the
     * adding thread, after the tree changed.
     */
    default void dependencyAdded(Service parent, Service dependency) {}

    /**
     * {@code dependency}, with everything below it, was stopped and detached from {@code parent}
     * ({@link Service#removeDependency}); called on the removing thread, after the tree changed. The
     * listeners of {@code dependency} itself no longer hear it, those of {@code parent} and above do.
     */
    default void dependencyRemoved(Service parent, Service dependency) {}

    /**
     * A stop of {@code service} ended: every stop step ran; called on the stopping thread, after the
     * change to SHUTDOWN when there is one. A CRASHED service stays CRASHED, so for it this is the
     * only sign that it was stopped.
     *
     * @param took how long the stop took
     */
    default void stopped(Service service, Duration took) {}
  }

  /** Adds a listener for this service and all services below it. */
  public final void addListener(Listener listener) {
    Objects.requireNonNull(listener, "listener");
    Events.add(this, listener);
  }

  /** Removes a listener; true if it was there. */
  public final boolean removeListener(Listener listener) {
    Objects.requireNonNull(listener, "listener");
    return Events.remove(this, listener);
  }

  @Override
  public String toString() {
    return path() + "[" + state() + "]";
  }
}
