package dev.mode;

import dev.mode.graph.Node;
import dev.mode.time.ModeClock;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.MDC;

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
 * {@code onStart}, begins the tasks and timers, starts each dependency fully in insertion order, then
 * {@code onStarted}; the service is RUNNING when that returns. {@link #stop()} sets {@link
 * #shouldStop()}, runs {@code onStop}, stops the dependencies in reverse order, interrupts and joins
 * the tasks (bounded by {@link #stopTimeout()}), closes the {@linkplain #addCloseable closeables}
 * LIFO and runs {@code onShutdown}. {@code onStop} and {@code onShutdown} run exactly once for each
 * start that reached {@code onStart}. See {@link State} for the states.
 *
 * <h2>Threading</h2>
 *
 * <p>Every public method is thread-safe and may be called from any thread, including the service's
 * own tasks. {@code start}, {@code stop} and {@code restart} block, so callbacks and tasks may simply
 * block too: on virtual threads this costs nothing. No lock is held while user code runs. Callbacks
 * run on the thread that called {@code start}/{@code stop}; tasks, timer runs and cron runs each run
 * on a virtual thread of the service's own thread-per-task executor, named {@code path:name}, with
 * the service's {@linkplain #path() path} in the SLF4J MDC under {@code mode.service}.
 */
public abstract class Service implements AutoCloseable {
  /** The MDC key under which the service path is set while service code runs. */
  public static final String MDC_KEY = "mode.service";
  /** The stop timeout of a new service. */
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);

  private static final Service[] NO_SERVICES = {};
  private static final Listener[] NO_LISTENERS = {};
  private static final Job[] NO_JOBS = {};
  // tree edits (parent and children) happen under this one lock, so cycle checks see a stable tree
  private static final ReentrantLock STRUCTURE = new ReentrantLock();
  // the service whose task, timer or cron run is on this thread
  private static final ThreadLocal<Service> CURRENT = new ThreadLocal<>();

  /**
   * This service's logger: lines start with {@code [^--Label]: } (one dash per depth below the root)
   * and go to the SLF4J logger named after the service's class.
   */
  protected final Logger log;

  private final ClassModel model;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();

  // guarded by lock
  private State state = State.INIT;
  private Throwable crashReason;
  private long terminations; // counts crashes and completed stops, for awaitStopped

  private Thread restarter;
  private Job[] jobs; // timers and cron jobs, annotated and programmatic

  private volatile Run run; // guarded by lock for writes; read freely
  // written by the one thread starting the service; volatile, as the next start may be on another
  private volatile boolean depsInitialised; // onInitDependencies has returned (never reset)
  private volatile boolean firstStartDone; // onFirstStart has returned (never reset)
  private volatile int restartCount;
  private volatile Service parent;
  private volatile Service[] children = NO_SERVICES;
  private volatile Listener[] listeners = NO_LISTENERS;
  private volatile Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
  private volatile ModeClock clock; // null: the parent's, else the system clock
  private volatile String path; // cached; reset when the tree above changes
  private volatile Activity callback; // the lifecycle callback running now
  private volatile long runningSince; // System.nanoTime() when it last became RUNNING
  private volatile long startNanos = -1; // duration of the last start
  private volatile long stopNanos = -1; // duration of the last stop

  /**
   * Creates a service in state INIT.
   *
   * @throws IllegalArgumentException if a {@code @Task}, {@code @Timer} or {@code @Crontab} on this
   *     class is invalid; the message names the method and the value
   */
  @SuppressWarnings("this-escape") // the logger and jobs keep a reference; they use it only later
  protected Service() {
    this.model = ClassModel.of(getClass());
    this.log = new ServiceLogger(this, model.logger);
    this.run = new Run(lock);
    List<Job> declared = new ArrayList<>(0);
    for (JobSpec spec : model.jobs) {
      if (spec.kind != JobSpec.Kind.TASK) declared.add(new Job(this, spec));
    }
    this.jobs = declared.isEmpty() ? NO_JOBS : declared.toArray(NO_JOBS);
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

  /** Called at every start, before tasks, timers and dependencies start. */
  protected void onStart() throws Exception {}

  /** Called at every start when all dependencies are running; RUNNING follows when it returns. */
  protected void onStarted() throws Exception {}

  /** First stop step, with {@link #shouldStop()} already true; dependencies and tasks still run. */
  protected void onStop() throws Exception {}

  /** Last stop step: dependencies, tasks and closeables are done. */
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
    crash0(reason, dependency);
  }

  // ------------------------------------------------------------------------------------------
  // Start

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
    startImpl(true, false);
  }

  private void startImpl(boolean allowRestart, boolean byParent) {
    Thread me = Thread.currentThread();
    for (;;) {
      State s;
      Run r;
      lock.lock();
      try {
        r = run;
        s = state;
        if (s == State.RUNNING) return;
        if (s == State.STARTING) {
          if (r.starter == me) return; // start() from a start callback: nothing more to do
          while (run == r && state == State.STARTING) changed.awaitUninterruptibly();
          if (run == r && state == State.CRASHED) {
            throw new ServiceException(path() + " failed to start: " + crashReason, crashReason);
          }
          return;
        }
      } finally {
        lock.unlock();
      }
      if (s != State.INIT) {
        if (allowRestart) {
          restartImpl(byParent);
        } else if (s == State.CRASHED) {
          // crashed between a restart's reset and its start: the restart did not happen
          Throwable reason = crashReason();
          throw new ServiceException(path() + " crashed before it could start again: " + reason, reason);
        }
        return;
      }
      if (admit(r, me, byParent)) {
        fire(State.INIT, State.STARTING);
        doStart(r, me);
        return;
      }
    }
  }

  // INIT -> STARTING, atomically with a check that the parent is not stopping (lock order: parent
  // before child), so a parent's stop can never miss a dependency that starts concurrently.
  private boolean admit(Run r, Thread me, boolean byParent) {
    Service p = parent;
    if (p != null) p.lock.lock();
    lock.lock();
    try {
      if (parent != p || run != r || state != State.INIT) return false;
      if (p != null) {
        Run pr = p.run;
        if (pr.stopRequested && !pr.stopDone) {
          if (byParent) throw new StopDuringStart();
          throw new IllegalStateException(
              "Cannot start " + path() + ": its parent " + p.path() + " is " + p.state);
        }
      }
      state = State.STARTING;
      r.starter = me;
      changed.signalAll();
      return true;
    } finally {
      lock.unlock();
      if (p != null) p.lock.unlock();
    }
  }

  private void doStart(Run r, Thread me) {
    long t0 = System.nanoTime();
    if (log.isInfoEnabled()) log.info("Starting...");
    boolean running = false;
    try {
      running = startSteps(r, t0);
    } catch (Throwable t) {
      failStart(r, t);
    } finally {
      if (!running) {
        lock.lock();
        try {
          if (r.starter == me) {
            r.starter = null;
            r.startingChild = null;
            changed.signalAll();
          }
        } finally {
          lock.unlock();
        }
      }
    }
  }

  /** The start steps; true when RUNNING, false when a stop cut them short. */
  private boolean startSteps(Run r, long t0) throws Exception {
    // each runs until it has succeeded once: a failed first start retries them at the next start
    if (!depsInitialised) {
      @SuppressWarnings("unchecked")
      Iterable<? extends Service> deps = (Iterable<? extends Service>) callback(Callback.ON_INIT_DEPENDENCIES);
      if (deps != null) for (Service d : deps) addDependency(d);
      depsInitialised = true;
    }
    if (!firstStartDone) {
      callback(Callback.ON_FIRST_START);
      firstStartDone = true;
    }
    if (!proceed(r, true)) return false;
    callback(Callback.ON_START);
    if (!launchJobs(r)) return false;
    for (Service child : children) {
      lock.lock();
      try {
        if (!proceedLocked(r)) return false;
        r.startingChild = child;
      } finally {
        lock.unlock();
      }
      try {
        child.startImpl(true, true);
      } catch (StopDuringStart e) {
        return false;
      } catch (ServiceException e) {
        Throwable reason = child.crashReasonOr(e.getCause() == null ? e : e.getCause());
        throw new DependencyFailed(child, reason);
      }
    }
    if (!proceed(r, false)) return false;
    callback(Callback.ON_STARTED);
    lock.lock();
    try {
      if (!proceedLocked(r)) return false;
      state = State.RUNNING;
      r.starter = null;
      r.startingChild = null;
      runningSince = System.nanoTime();
      startNanos = runningSince - t0;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (log.isDebugEnabled()) log.debug("Started in {} ms", millis(startNanos));
    fire(State.STARTING, State.RUNNING);
    return true;
  }

  private boolean proceed(Run r, boolean beforeOnStart) {
    lock.lock();
    try {
      if (!proceedLocked(r)) return false;
      if (beforeOnStart) r.onStartCalled = true;
      return true;
    } finally {
      lock.unlock();
    }
  }

  // under lock: false if a stop was requested; throws if the service crashed meanwhile
  private boolean proceedLocked(Run r) {
    if (state == State.CRASHED) throw new CrashedDuringStart(crashReason);
    return !r.stopRequested && run == r;
  }

  private void failStart(Run r, Throwable t) {
    if (t instanceof StopDuringStart) return;
    Throwable reason;
    Service origin = this;
    if (t instanceof DependencyFailed df) {
      reason = df.reason;
      origin = df.child;
    } else if (t instanceof CrashedDuringStart c) {
      reason = c.reason;
    } else {
      reason = t;
    }
    lock.lock();
    try {
      // a stop interrupted a start step: that is the stop's doing, not a failure
      if (r.stopRequested && state != State.CRASHED && isInterruption(reason)) return;
    } finally {
      lock.unlock();
    }
    crash0(reason, origin);
    boolean claim;
    lock.lock();
    try {
      claim = run == r && !r.stopClaimed;
      if (claim) r.stopClaimed = true; // doStart clears the starter once this has thrown
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (claim) doStop(r);
    throw new ServiceException(path() + " failed to start: " + reason, reason);
  }

  // Launches @Tasks, queued tasks, timers and cron jobs for run r; false if a stop came first.
  private boolean launchJobs(Run r) {
    lock.lock();
    try {
      if (!proceedLocked(r)) return false;
      r.jobsLaunched = true;
      List<JobSpec> specs = model.jobs;
      for (int i = 0; i < specs.size(); i++) { // indexed: no iterator for the usual empty list
        JobSpec spec = specs.get(i);
        if (spec.kind == JobSpec.Kind.TASK) r.tasks.add(new TaskHandle(this, r, spec.name, spec.bind(this)));
      }
      if (r.tasks.isEmpty() && jobs.length == 0) return true;
      for (TaskHandle h : r.tasks) launchLocked(r, h);
      ModeClock c = clock();
      for (Job j : jobs) j.armFirst(r, c);
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void launchLocked(Run r, TaskHandle h) {
    if (h.launched) return;
    h.launched = true;
    if (!r.launch(h)) h.cancel(false);
  }

  // ------------------------------------------------------------------------------------------
  // Stop

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
    stopImpl();
  }

  /** Same as {@link #stop()}. */
  @Override
  public final void close() {
    stopImpl();
  }

  private void stopImpl() {
    Thread me = Thread.currentThread();
    Run r;
    boolean owner = false;
    State requestedFrom = null;
    List<AutoCloseable> neverStarted = null;
    lock.lock();
    try {
      r = run;
      if (state == State.INIT) {
        state = State.SHUTDOWN;
        r.stopRequested = true;
        r.jobsClosed = true;
        r.stopClaimed = true;
        r.stopDone = true;
        terminations++;
        for (TaskHandle h : r.tasks) h.cancel(false);
        neverStarted = r.drainCloseables();
        changed.signalAll();
      } else {
        requestedFrom = requestStopLocked(r);
        long waitLimit = stopTimeout.toNanos();
        boolean warned = false;
        for (;;) {
          if (r.stopDone || run != r) break;
          if (!r.stopClaimed && (r.starter == null || r.starter == me)) {
            r.stopClaimed = true;
            owner = true;
            break;
          }
          if (r.stopClaimed) {
            if (ownedBySubtree(me)) break; // the stop in progress may be waiting for this very thread
            changed.awaitUninterruptibly();
            continue;
          }
          // another thread is starting this service: it stops at its next step
          Service starting = r.startingChild;
          if (starting != null) {
            lock.unlock();
            try {
              starting.requestStop();
            } finally {
              lock.lock();
            }
            continue;
          }
          if (waitLimit <= 0) {
            if (!warned) warnStuck(r.starter, "start");
            warned = true;
            r.stopClaimed = true;
            owner = true;
            break;
          }
          try {
            waitLimit = changed.awaitNanos(waitLimit);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            waitLimit = 0;
          }
        }
      }
    } finally {
      lock.unlock();
    }
    if (neverStarted != null) {
      fire(State.INIT, State.SHUTDOWN);
      closeAll(neverStarted);
      return;
    }
    if (requestedFrom != null) afterStopRequested(r, requestedFrom);
    if (owner) doStop(r);
  }

  // RUNNING or STARTING -> STOPPING; returns the state left, or null if nothing changed
  private State requestStopLocked(Run r) {
    if (r.stopRequested) return null;
    r.stopRequested = true;
    State from = state;
    if (from == State.RUNNING || from == State.STARTING) {
      state = State.STOPPING;
      changed.signalAll();
      return from;
    }
    return null;
  }

  private void afterStopRequested(Run r, State from) {
    r.wakeSleepers();
    fire(from, State.STOPPING);
  }

  // sets shouldStop along the chain of dependencies being started, so a start in progress ends soon
  private void requestStop() {
    Run r;
    State from;
    Service starting;
    lock.lock();
    try {
      r = run;
      from = state == State.INIT ? null : requestStopLocked(r);
      starting = r.startingChild;
    } finally {
      lock.unlock();
    }
    if (from != null) afterStopRequested(r, from);
    if (starting != null) starting.requestStop();
  }

  private void doStop(Run r) {
    long t0 = System.nanoTime();
    if (log.isInfoEnabled()) log.info("Stopping...");
    boolean onStartCalled;
    lock.lock();
    try {
      onStartCalled = r.onStartCalled;
    } finally {
      lock.unlock();
    }
    if (onStartCalled) callbackLogged(Callback.ON_STOP);
    Service[] kids = children;
    for (int i = kids.length - 1; i >= 0; i--) {
      try {
        kids[i].stopImpl();
      } catch (Throwable t) {
        log.error("Stopping dependency {} failed; the stop goes on", kids[i].path(), t);
      }
    }
    stopJobs(r);
    List<AutoCloseable> toClose;
    lock.lock();
    try {
      toClose = r.drainCloseables();
    } finally {
      lock.unlock();
    }
    closeAll(toClose);
    if (onStartCalled) callbackLogged(Callback.ON_SHUTDOWN);
    State from;
    lock.lock();
    try {
      r.stopDone = true;
      from = state;
      if (state != State.CRASHED) state = State.SHUTDOWN;
      terminations++;
      stopNanos = System.nanoTime() - t0;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (log.isInfoEnabled()) log.info("Stopped in {} ms", millis(stopNanos));
    if (from != State.CRASHED) fire(from, State.SHUTDOWN);
    if (heard()) {
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      tell(l -> l.stopped(this, took));
    }
  }

  // Interrupts and joins tasks and timer runs, bounded by the stop timeout; never the current thread.
  private void stopJobs(Run r) {
    List<TaskHandle> pending;
    lock.lock();
    try {
      r.jobsClosed = true;
      if (jobs.length == 0 && r.tasks.isEmpty()) return; // nothing ran
      pending = new ArrayList<>(0);
      for (Job j : jobs) j.disarm();
      for (TaskHandle h : r.tasks) if (!h.launched) pending.add(h);
    } finally {
      lock.unlock();
    }
    for (TaskHandle h : pending) h.cancel(false);
    Thread me = Thread.currentThread();
    List<Thread> threads = r.threads();
    for (Thread t : threads) if (t != me) t.interrupt();
    long deadline = System.nanoTime() + stopTimeout.toNanos();
    for (Thread t : threads) {
      if (t == me) continue;
      boolean ended;
      try {
        ended = t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ended = !t.isAlive();
      }
      if (!ended) warnStuck(t, "task");
    }
  }

  private void warnStuck(Thread t, String what) {
    if (t == null) return;
    Throwable where = new Throwable("stack of " + t.getName());
    where.setStackTrace(t.getStackTrace());
    log.warn(
        "The {} on thread {} did not end within the stop timeout ({}); the stop goes on without it",
        what,
        t.getName(),
        Durations.format(stopTimeout),
        where);
  }

  private void closeAll(List<AutoCloseable> toClose) {
    for (int i = 0; i < toClose.size(); i++) { // indexed: no iterator for the usual empty list
      AutoCloseable c = toClose.get(i);
      try {
        c.close();
      } catch (Throwable t) {
        log.error("Closing {} failed; the stop goes on", c, t);
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // Restart

  /**
   * Stops this service, resets it (and its dependencies) to INIT, calls {@link #onRestart()}, and
   * starts it again. {@code onInitDependencies} and {@code onFirstStart} are not called again;
   * dependencies are kept. Restarts of one service are serialised: a second caller waits for the
   * first restart and then restarts again.
   *
   * @throws ServiceException if the new start fails (the service is then CRASHED)
   */
  public final void restart() {
    restartImpl(false);
  }

  private void restartImpl(boolean byParent) {
    Thread me = Thread.currentThread();
    boolean outer;
    lock.lock();
    try {
      while (restarter != null && restarter != me) changed.awaitUninterruptibly();
      outer = restarter == null;
      restarter = me;
    } finally {
      lock.unlock();
    }
    try {
      stopImpl();
      lock.lock();
      try {
        if (!run.stopDone) {
          throw new IllegalStateException(
              "Cannot restart " + path() + " from its own task while another thread is stopping it");
        }
      } finally {
        lock.unlock();
      }
      resetTree();
      try {
        callback(Callback.ON_RESTART);
      } catch (Throwable t) {
        crash0(t, this);
        lock.lock();
        try {
          run.stopRequested = true;
          run.stopClaimed = true;
          run.stopDone = true;
        } finally {
          lock.unlock();
        }
        throw new ServiceException(path() + " failed to restart: onRestart threw " + t, t);
      }
      startImpl(false, byParent);
    } finally {
      if (outer) {
        lock.lock();
        try {
          restarter = null;
          changed.signalAll();
        } finally {
          lock.unlock();
        }
      }
    }
  }

  // a stopped service and its stopped dependencies go back to INIT for a new run
  private void resetTree() {
    State from = null;
    lock.lock();
    try {
      if (state.isTerminal() && run.stopDone) {
        from = state;
        restartCount++;
        run = new Run(lock);
        state = State.INIT;
        crashReason = null;
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
    if (from == null) return;
    fire(from, State.INIT);
    for (Service c : children) c.resetTree();
  }

  // ------------------------------------------------------------------------------------------
  // Crash

  /**
   * Marks this service CRASHED with {@code reason}: {@link #shouldStop()} becomes true, sleepers wake,
   * {@link #awaitStopped} returns, and the crash is logged once at ERROR with its stack. No stop step
   * runs here: whoever handles the crash (a supervisor, the parent, the Worker, the user) stops or
   * restarts the service. Outside a start or stop, the parent is told at once (see {@link
   * #onDependencyCrashed}); by default it crashes too, up to the root. Crashing a service that is
   * already CRASHED, or SHUTDOWN, changes nothing.
   */
  public final void crash(Throwable reason) {
    crash0(Objects.requireNonNull(reason, "reason"), this);
  }

  // origin: the service where the reason was first seen (its stack is logged there only)
  final void crash0(Throwable reason, Service origin) {
    State from;
    Run r;
    lock.lock();
    try {
      from = state;
      if (from == State.CRASHED || from == State.SHUTDOWN) return;
      r = run;
      state = State.CRASHED;
      crashReason = reason;
      r.stopRequested = true;
      terminations++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    r.wakeSleepers();
    if (origin == this) {
      log.error("Crashed reason={}", reason, reason);
    } else {
      log.error("Crashed reason={} (dependency {} crashed)", reason, origin.path());
    }
    fireCrashed(reason);
    fire(from, State.CRASHED);
    if (from == State.RUNNING || from == State.INIT) {
      Service p = parent;
      if (p != null) p.dependencyCrashed(this, reason);
    }
  }

  private void dependencyCrashed(Service child, Throwable reason) {
    try {
      onDependencyCrashed(child, reason);
    } catch (Throwable t) {
      log.error("onDependencyCrashed({}) failed", child.path(), t);
    }
  }

  /** Called by a task, timer or cron run that ended with {@code failure}. */
  final void jobFailed(Run r, String name, String kind, Throwable failure, boolean continueOnError) {
    if (r.stopRequested && isInterruption(failure)) return; // a normal end at stop
    if (run != r) {
      log.warn("{} {} failed after its run ended: {}", kind, name, failure.toString());
      return;
    }
    if (continueOnError) {
      log.error("{} {} failed; it goes on", kind, name, failure);
      return;
    }
    crash0(failure, this);
  }

  static boolean isInterruption(Throwable t) {
    for (int i = 0; t != null && i < 8; i++, t = t.getCause()) {
      if (t instanceof InterruptedException
          || t instanceof InterruptedIOException
          || t instanceof ClosedByInterruptException) {
        return true;
      }
    }
    return false;
  }

  /** Why this service crashed; null unless it is CRASHED. */
  public final Throwable crashReason() {
    lock.lock();
    try {
      return state == State.CRASHED ? crashReason : null;
    } finally {
      lock.unlock();
    }
  }

  private Throwable crashReasonOr(Throwable fallback) {
    Throwable r = crashReason();
    return r != null ? r : fallback;
  }

  // ------------------------------------------------------------------------------------------
  // Waiting and sleeping

  /** The current state. */
  public final State state() {
    lock.lock();
    try {
      return state;
    } finally {
      lock.unlock();
    }
  }

  /** True from the moment a stop or crash begins until the service is reset for a restart. */
  public final boolean shouldStop() {
    return run.stopRequested;
  }

  /**
   * Sleeps for {@code duration} on the service's {@linkplain #clock() clock}.
   *
   * @return true if the full time passed; false if woken early because the service is stopping or
   *     crashed, or because the thread was interrupted (the interrupt flag is then kept)
   */
  public final boolean sleep(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    Run r = run;
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
    long nanos = timeout.toNanos();
    lock.lock();
    try {
      long seen = terminations;
      while (terminations == seen && !state.isTerminal()) {
        if (nanos <= 0) return false;
        nanos = changed.awaitNanos(nanos);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------------------------------
  // Dependencies

  /**
   * Adds {@code child} as a dependency: it starts after this service's {@code onStart} and stops
   * before its {@code onShutdown}. Adding the same child again is a no-op. Does not start the child
   * (see {@link #addRuntimeDependency}).
   *
   * @return {@code child}
   * @throws IllegalArgumentException if it would make a cycle (the message names it)
   * @throws IllegalStateException if {@code child} already has another parent (the message names
   *     both)
   */
  public final <S extends Service> S addDependency(S dependency) {
    Service child = Objects.requireNonNull(dependency, "child");
    STRUCTURE.lock();
    try {
      if (child == this) {
        throw new IllegalArgumentException(
            "Cannot add " + label() + " as a dependency of itself: " + label() + " -> " + label());
      }
      Service current = child.parent;
      if (current == this) return dependency;
      if (current != null) {
        throw new IllegalStateException(
            "Cannot add "
                + child.path()
                + " as a dependency of "
                + path()
                + ": it is already a dependency of "
                + current.path()
                + " (remove it there first)");
      }
      // only a child with dependencies of its own can be an ancestor of this service
      List<Service> up = new ArrayList<>();
      for (Service a = child.children.length == 0 ? null : this; a != null; a = a.parent) {
        up.add(a);
        if (a == child) {
          StringBuilder cycle = new StringBuilder();
          for (int i = up.size() - 1; i >= 0; i--) cycle.append(up.get(i).label()).append(" -> ");
          cycle.append(child.label());
          throw new IllegalArgumentException(
              "Cannot add " + child.label() + " as a dependency of " + label() + ": that makes a cycle " + cycle);
        }
      }
      Service[] old = children;
      Service[] grown = Arrays.copyOf(old, old.length + 1);
      grown[old.length] = child;
      child.parent = this;
      children = grown;
      child.forgetPaths();
    } finally {
      STRUCTURE.unlock();
    }
    if (heard()) tell(l -> l.dependencyAdded(this, child));
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
    lock.lock();
    try {
      startNow = state == State.RUNNING || (state == State.STARTING && run.jobsLaunched);
    } finally {
      lock.unlock();
    }
    if (startNow) child.start();
    return child;
  }

  /**
   * Stops {@code child} and detaches it from this service.
   *
   * @throws IllegalArgumentException if it is not a dependency of this service
   */
  public final void removeDependency(Service child) {
    Objects.requireNonNull(child, "child");
    if (child.parent != this) {
      throw new IllegalArgumentException(
          "Cannot remove " + child.path() + ": it is not a dependency of " + path());
    }
    child.stop();
    STRUCTURE.lock();
    try {
      if (child.parent != this) return;
      Service[] old = children;
      List<Service> kept = new ArrayList<>(old.length);
      for (Service s : old) if (s != child) kept.add(s);
      children = kept.toArray(NO_SERVICES);
      child.parent = null;
      child.forgetPaths();
    } finally {
      STRUCTURE.unlock();
    }
    if (heard()) tell(l -> l.dependencyRemoved(this, child));
  }

  /** The dependencies, in insertion order: an immutable snapshot. */
  public final List<Service> dependencies() {
    return List.of(children);
  }

  /** The service this one is a dependency of, if any. */
  public final Optional<Service> parent() {
    return Optional.ofNullable(parent);
  }

  final Service parentOrNull() {
    return parent;
  }

  /** This service's node in the service tree. */
  public final Node beacon() {
    return Node.of(this);
  }

  // ------------------------------------------------------------------------------------------
  // Tasks, timers, cron, resources

  /**
   * Runs {@code body} on its own virtual thread of this service: now if the service is RUNNING or
   * STARTING, else (INIT) when it next starts, right after {@code onStart}. At stop it is interrupted
   * and joined. An exception crashes the service, except an {@link InterruptedException} while
   * stopping. Cancelling the returned future interrupts the task and is not a crash.
   *
   * @throws IllegalStateException if the service is stopping, stopped or crashed
   */
  public final Future<?> addTask(String name, ThrowingRunnable body) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(body, "body");
    lock.lock();
    try {
      Run r = run;
      if (state != State.INIT && state != State.STARTING && state != State.RUNNING || r.stopRequested) {
        throw new IllegalStateException(
            "Cannot add task " + name + " to " + path() + ": it is " + state
                + " (add tasks before start or while it runs)");
      }
      TaskHandle h = new TaskHandle(this, r, name, body);
      r.tasks.removeIf(t -> t.launched && t.isDone());
      r.tasks.add(h);
      if (state != State.INIT) launchLocked(r, h);
      return h;
    } finally {
      lock.unlock();
    }
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
    addJob(new Job(this, JobSpec.timer(name, interval, execFirst, continueOnError, body, null)));
  }

  /** Adds a cron job (see {@link Crontab}); {@code zone} null means the system default. */
  public final void addCron(String name, String expression, java.time.ZoneId zone, ThrowingRunnable body) {
    addCron(name, expression, zone, false, body);
  }

  /**
   * Adds a cron job: like {@link Crontab @Crontab} on a method. Declared for the life of the service.
   *
   * @throws IllegalArgumentException if the expression is invalid (the message names it) or the name
   *     is taken
   */
  public final void addCron(
      String name, String expression, java.time.ZoneId zone, boolean continueOnError, ThrowingRunnable body) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(body, "body");
    java.time.ZoneId z = zone == null ? java.time.ZoneId.systemDefault() : zone;
    addJob(new Job(this, JobSpec.cron(name, expression, z, continueOnError, body, null)));
  }

  private void addJob(Job job) {
    lock.lock();
    try {
      for (Job j : jobs) {
        if (j.spec.name.equals(job.spec.name)) {
          throw new IllegalArgumentException(
              path() + " already has a timer or cron job named " + job.spec.name);
        }
      }
      Job[] grown = Arrays.copyOf(jobs, jobs.length + 1);
      grown[jobs.length] = job;
      jobs = grown;
      Run r = run;
      if (r.jobsLaunched && !r.jobsClosed) job.armFirst(r, clock());
    } finally {
      lock.unlock();
    }
  }

  // re-arms a job after a run, unless its run is over
  // A timer or cron run ends: arm its next run unless the run is stopping, and take its thread out
  // of the run's threads, both under one lock acquisition.
  void rearmAndExit(Run r, Thread t, Runnable arm) {
    lock.lock();
    try {
      if (arm != null && run == r && !r.jobsClosed && !r.stopRequested) arm.run();
      r.exitLocked(t);
    } finally {
      lock.unlock();
    }
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
    lock.lock();
    try {
      Run r = run;
      if (r.closeablesClosed) {
        throw new IllegalStateException(
            "Cannot add closeable " + resource + " to " + path() + ": it is " + state
                + " and has already closed its resources");
      }
      r.addCloseable(resource);
      return resource;
    } finally {
      lock.unlock();
    }
  }

  // Sets up a new thread (one per task or timer run, never reused) to run this service's code:
  // its name for thread dumps (path:job), Service.current() and the MDC. Nothing is undone at the
  // end: the thread ends with the run.
  final void enterThread(Thread t, String jobName) {
    t.setName(path() + ":" + jobName);
    CURRENT.set(this);
    MDC.put(MDC_KEY, path());
  }

  private boolean ownedBySubtree(Thread me) {
    for (Service s = CURRENT.get(); s != null; s = s.parent) if (s == this) return true;
    return false;
  }

  /** The service whose task, timer or cron run is running on the current thread, if any. */
  public static Optional<Service> current() {
    return Optional.ofNullable(CURRENT.get());
  }

  // ------------------------------------------------------------------------------------------
  // Callback plumbing

  // The lifecycle callbacks, called by constant so that a start or stop allocates no lambda per
  // callback (a hundred thousand services start at once).
  private enum Callback {
    ON_INIT_DEPENDENCIES("onInitDependencies"),
    ON_FIRST_START("onFirstStart"),
    ON_START("onStart"),
    ON_STARTED("onStarted"),
    ON_STOP("onStop"),
    ON_SHUTDOWN("onShutdown"),
    ON_RESTART("onRestart");

    final String method;

    Callback(String method) {
      this.method = method;
    }
  }

  // Runs callback c with the activity record and the MDC set; returns what it returned (only
  // onInitDependencies returns something), or null if the class does not override it.
  private Object callback(Callback c) throws Exception {
    if (!model.overrides(c.method)) return null; // Service's own callbacks do nothing
    Activity before = callback;
    String mdcBefore = MDC.get(MDC_KEY);
    callback = new Activity(c.method, Thread.currentThread(), System.nanoTime());
    MDC.put(MDC_KEY, path());
    try {
      switch (c) {
        case ON_INIT_DEPENDENCIES -> {
          return onInitDependencies();
        }
        case ON_FIRST_START -> onFirstStart();
        case ON_START -> onStart();
        case ON_STARTED -> onStarted();
        case ON_STOP -> onStop();
        case ON_SHUTDOWN -> onShutdown();
        case ON_RESTART -> onRestart();
      }
      return null;
    } finally {
      callback = before;
      if (mdcBefore == null) MDC.remove(MDC_KEY);
      else MDC.put(MDC_KEY, mdcBefore);
    }
  }

  private void callbackLogged(Callback c) {
    try {
      callback(c);
    } catch (Throwable t) {
      log.error("{} failed; the stop goes on", c.method, t);
    }
  }

  // ------------------------------------------------------------------------------------------
  // Settings and introspection

  /** The per-service bound on waiting for tasks at stop (default 10 s). */
  public final Duration stopTimeout() {
    return stopTimeout;
  }

  /**
   * Sets the bound on waiting for this service's tasks at stop.
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
    return restartCount;
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
    String p = path;
    if (p == null) {
      Service up = parent;
      p = up == null ? shortLabel() : up.path() + "/" + shortLabel();
      path = p;
    }
    return p;
  }

  private void forgetPaths() {
    path = null;
    for (Service c : children) c.forgetPaths();
  }

  /** How long the last start took, from "Starting..." to RUNNING; empty if it never ran. */
  public final Optional<Duration> startDuration() {
    long n = startNanos;
    return n < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(n));
  }

  /** How long the last stop took; empty if it never stopped. */
  public final Optional<Duration> stopDuration() {
    long n = stopNanos;
    return n < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(n));
  }

  /** How long it has been RUNNING; empty unless RUNNING. */
  public final Optional<Duration> uptime() {
    if (state() != State.RUNNING) return Optional.empty();
    return Optional.of(Duration.ofNanos(System.nanoTime() - runningSince));
  }

  // the timers and cron jobs; the array is replaced, never changed, so it is a snapshot
  private Job[] jobs() {
    lock.lock();
    try {
      return jobs;
    } finally {
      lock.unlock();
    }
  }

  /** Snapshot of the counters of every timer and cron job, in declaration order. */
  public final List<TimerInfo> timers() {
    Job[] js = jobs();
    ModeClock c = clock();
    List<TimerInfo> out = new ArrayList<>(js.length);
    for (Job j : js) out.add(j.info(c));
    return List.copyOf(out);
  }

  /** Snapshot of the work this service's current run owns: tasks not yet ended, and timer runs in progress. */
  public final List<TaskInfo> tasks() {
    List<TaskInfo> out = new ArrayList<>();
    lock.lock();
    try {
      for (TaskHandle h : run.tasks) {
        if (!h.isDone()) out.add(new TaskInfo(h.name, "task", Optional.ofNullable(h.runner)));
      }
      for (Job j : jobs) {
        Thread t = j.runningThread();
        if (t != null) out.add(new TaskInfo(j.spec.name, j.spec.kind.word, Optional.of(t)));
      }
    } finally {
      lock.unlock();
    }
    return List.copyOf(out);
  }

  /** Live threads running this service's tasks and timer runs: a snapshot. */
  public final List<Thread> threads() {
    return run.threads();
  }

  /** Callbacks and timer runs in progress: what a blocking detector watches. A snapshot. */
  public final List<Activity> activities() {
    List<Activity> out = new ArrayList<>(1);
    Activity a = callback;
    if (a != null) out.add(a);
    for (Job j : jobs()) {
      Activity ja = j.activity();
      if (ja != null) out.add(ja);
    }
    return List.copyOf(out);
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
    lock.lock();
    try {
      Listener[] old = listeners;
      Listener[] grown = Arrays.copyOf(old, old.length + 1);
      grown[old.length] = listener;
      listeners = grown;
    } finally {
      lock.unlock();
    }
  }

  /** Removes a listener; true if it was there. */
  public final boolean removeListener(Listener listener) {
    lock.lock();
    try {
      List<Listener> kept = new ArrayList<>(Arrays.asList(listeners));
      boolean removed = kept.remove(listener);
      listeners = kept.toArray(NO_LISTENERS);
      return removed;
    } finally {
      lock.unlock();
    }
  }

  private void fire(State from, State to) {
    if (heard()) tell(l -> l.stateChanged(this, from, to));
  }

  private void fireCrashed(Throwable reason) {
    if (heard()) tell(l -> l.crashed(this, reason));
  }

  // a timer or cron run ended: tell the listeners here and above; free when there are none
  final void timerRan(String timer, long latenessNanos, long tookNanos, boolean overlapped, Throwable error) {
    if (!heard()) return;
    Duration lateness = Duration.ofNanos(latenessNanos);
    Duration took = Duration.ofNanos(tookNanos);
    tell(l -> l.timerRan(this, timer, lateness, took, overlapped, error));
  }

  // true if a listener here or above would hear an event (checked first, so no event is built for nobody)
  private boolean heard() {
    for (Service s = this; s != null; s = s.parent) if (s.listeners.length > 0) return true;
    return false;
  }

  // delivers an event to the listeners of this service and of every service above it, nearest first
  private void tell(java.util.function.Consumer<Listener> event) {
    for (Service s = this; s != null; s = s.parent) {
      for (Listener l : s.listeners) {
        try {
          event.accept(l);
        } catch (Throwable t) {
          log.error("Listener {} failed", l, t);
        }
      }
    }
  }

  // "%.2f" under 10 ms, written out by hand: java.util.Formatter costs microseconds per call until the
  // JIT has compiled it, and a Worker stopping 10,000 services at info level calls this 10,000 times
  // in a row on one thread, in code that has not run before (about 80 ms of a 10,000-service stop).
  // Always a '.' as the separator, whatever the default locale.
  private static String millis(long nanos) {
    double ms = nanos / 1e6;
    if (ms >= 10) return Long.toString(Math.round(ms));
    long hundredths = Math.round(nanos / 1e4);
    long frac = hundredths % 100;
    return hundredths / 100 + (frac < 10 ? ".0" : ".") + frac;
  }

  @Override
  public String toString() {
    return path() + "[" + state() + "]";
  }

  // ------------------------------------------------------------------------------------------
  // Internal control-flow signals of start (never escape start)

  private static final class StopDuringStart extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StopDuringStart() {
      super(null, null, false, false);
    }
  }

  private static final class CrashedDuringStart extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Throwable reason;

    CrashedDuringStart(Throwable reason) {
      super(null, null, false, false);
      this.reason = reason;
    }
  }

  private static final class DependencyFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Service child;
    final transient Throwable reason;

    DependencyFailed(Service child, Throwable reason) {
      super(null, null, false, false);
      this.child = child;
      this.reason = reason;
    }
  }
}
