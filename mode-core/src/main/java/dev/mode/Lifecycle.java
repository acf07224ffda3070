package dev.mode;

import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The start/stop/restart/crash engine of one service, and the only writer of its state.
 *
 * <pre>
 * INIT -> STARTING -> RUNNING -> STOPPING -> SHUTDOWN     (restart: SHUTDOWN or CRASHED -> INIT)
 *              \          \          \
 *               +----------+----------+--> CRASHED
 * </pre>
 *
 * <p>The engine <em>is</em> the service's lock (it extends {@link ReentrantLock}, as JDK 7's
 * {@code ConcurrentHashMap.Segment} did), so splitting it from {@link Service} costs no object per
 * service. The lock is held briefly and never around user code or a blocking call; listeners hear
 * changes after it is released ({@link Events}). The stop steps live in {@link Stopping}, the job
 * threads in {@link JobTable}, the tree links in {@link ServiceTree}.
 */
final class Lifecycle extends ReentrantLock {
  private static final long serialVersionUID = 1L;
  private static final Job[] NO_JOBS = {};

  final transient Service service;
  final transient Condition changed = newCondition();

  // guarded by this lock
  State state = State.INIT;
  Throwable crashReason;
  long terminations; // counts crashes and completed stops, for awaitStopped
  transient Thread restarter;
  transient Job[] jobs = NO_JOBS; // written only by JobTable: replaced, never changed
  transient ArrayDeque<Events.Event> pendingEvents; // written only by Events; null when empty
  boolean delivering; // written only by Events: a thread is delivering this service's events

  transient volatile Run run; // guarded by this lock for writes; read freely
  // written by the one thread starting the service; volatile, as the next start may be on another
  volatile boolean depsInitialised; // onInitDependencies has returned (never reset)
  volatile boolean firstStartDone; // onFirstStart has returned (never reset)
  volatile int restartCount;
  volatile long runningSince; // System.nanoTime() when it last became RUNNING
  volatile long startNanos = -1; // duration of the last start
  volatile long stopNanos = -1; // duration of the last stop

  Lifecycle(Service service) {
    this.service = service;
    this.run = new Run(this, changed);
  }

  /** Moves to {@code to} and queues the event for the listeners. Caller holds the lock. */
  void moveLocked(State to) {
    State from = state;
    state = to;
    changed.signalAll();
    Events.stateChangedLocked(this, from, to);
  }

  // ------------------------------------------------------------------------------------------
  // Start

  /**
   * Starts the service. {@code expectedParent}: when a parent starts its dependency, the parent;
   * the start is skipped if the dependency has been detached from it meanwhile.
   */
  void start(boolean allowRestart, Service expectedParent) {
    Thread me = Thread.currentThread();
    boolean byParent = expectedParent != null;
    for (;;) {
      if (byParent && service.parent != expectedParent) return; // removed: not the parent's to start
      State s;
      Run r;
      lock();
      try {
        r = run;
        s = state;
        if (s == State.RUNNING) return;
        if (s == State.STARTING) {
          if (r.starter == me) return; // start() from a start callback: nothing more to do
          while (run == r && state == State.STARTING) changed.awaitUninterruptibly();
          if (run == r && state == State.CRASHED) {
            throw new ServiceException(service.path() + " failed to start: " + crashReason, crashReason);
          }
          return;
        }
      } finally {
        unlock();
      }
      if (s != State.INIT) {
        if (allowRestart) {
          restart(expectedParent);
        } else if (s == State.CRASHED) {
          // crashed between a restart's reset and its start: the restart did not happen
          Throwable reason = crashReason();
          throw new ServiceException(
              service.path() + " crashed before it could start again: " + reason, reason);
        }
        return;
      }
      if (admit(r, me, expectedParent)) {
        Events.deliver(this);
        Starting.run(this, r, me);
        return;
      }
    }
  }

  // INIT -> STARTING, atomically with a check that the parent is not stopping (lock order: parent
  // before child), so a parent's stop can never miss a dependency that starts concurrently.
  private boolean admit(Run r, Thread me, Service expectedParent) {
    Service p = service.parent;
    if (expectedParent != null && p != expectedParent) return false;
    Lifecycle pl = p == null ? null : p.life;
    if (pl != null) pl.lock();
    lock();
    try {
      if (service.parent != p || run != r || state != State.INIT) return false;
      if (pl != null) {
        Run pr = pl.run;
        if (pr.stopRequested && !pr.stopDone) {
          if (expectedParent != null) throw new Starting.StopDuringStart();
          throw new IllegalStateException(
              "Cannot start " + service.path() + ": its parent " + p.path() + " is " + pl.state);
        }
      }
      r.starter = me;
      moveLocked(State.STARTING);
      return true;
    } finally {
      unlock();
      if (pl != null) pl.unlock();
    }
  }

  // ------------------------------------------------------------------------------------------
  // Restart

  /** Stop, reset to INIT (dependencies too), onRestart, start; serialised per service. */
  void restart(Service expectedParent) {
    Thread me = Thread.currentThread();
    boolean outer;
    lock();
    try {
      while (restarter != null && restarter != me) changed.awaitUninterruptibly();
      outer = restarter == null;
      restarter = me;
    } finally {
      unlock();
    }
    try {
      Stopping.stop(this);
      lock();
      try {
        if (!run.stopDone) {
          throw new IllegalStateException(
              "Cannot restart " + service.path() + " from its own task while another thread is stopping it");
        }
      } finally {
        unlock();
      }
      resetTree();
      try {
        Callback.ON_RESTART.call(service);
      } catch (Throwable t) {
        crash(t, service);
        lock();
        try {
          run.stopRequested = true;
          run.stopOwner = Thread.currentThread();
          run.stopDone = true;
        } finally {
          unlock();
        }
        throw new ServiceException(service.path() + " failed to restart: onRestart threw " + t, t);
      }
      start(false, expectedParent);
    } finally {
      if (outer) {
        lock();
        try {
          restarter = null;
          changed.signalAll();
        } finally {
          unlock();
        }
      }
    }
  }

  // a stopped service and its stopped dependencies go back to INIT for a new run
  private void resetTree() {
    boolean reset = false;
    lock();
    try {
      if (state.isTerminal() && run.stopDone) {
        reset = true;
        restartCount++;
        run = new Run(this, changed);
        crashReason = null;
        moveLocked(State.INIT);
      }
    } finally {
      unlock();
    }
    if (!reset) return;
    Events.deliver(this);
    for (Service c : service.children) c.life.resetTree();
  }

  // ------------------------------------------------------------------------------------------
  // Crash

  /** Crashes the service; {@code origin} is where the reason was first seen (its stack is logged there). */
  void crash(Throwable reason, Service origin) {
    State from;
    Run r;
    lock();
    try {
      from = state;
      if (from == State.CRASHED || from == State.SHUTDOWN) return;
      r = run;
      crashReason = reason;
      r.stopRequested = true;
      terminations++;
      Events.crashedLocked(this, reason);
      moveLocked(State.CRASHED);
    } finally {
      unlock();
    }
    r.wakeSleepers();
    if (origin == service) {
      service.log.error("Crashed reason={}", reason, reason);
    } else {
      service.log.error("Crashed reason={} (dependency {} crashed)", reason, origin.path());
    }
    Events.deliver(this);
    if (from == State.RUNNING || from == State.INIT) {
      Service p = service.parent;
      if (p != null) p.dependencyCrashed(service, reason);
    }
  }

  /** Called by a task, timer or cron run that ended with {@code failure}. */
  void jobFailed(Run r, String name, String kind, Throwable failure, boolean continueOnError) {
    if (r.stopRequested && isInterruption(failure)) return; // a normal end at stop
    if (run != r) {
      service.log.warn("{} {} failed after its run ended: {}", kind, name, failure.toString());
      return;
    }
    if (continueOnError) {
      service.log.error("{} {} failed; it goes on", kind, name, failure);
      return;
    }
    crash(failure, service);
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

  // ------------------------------------------------------------------------------------------
  // Queries and waiting

  State state() {
    lock();
    try {
      return state;
    } finally {
      unlock();
    }
  }

  Throwable crashReason() {
    lock();
    try {
      return state == State.CRASHED ? crashReason : null;
    } finally {
      unlock();
    }
  }

  /** Waits (real time) for a stop or crash; {@code nanos} saturated, so Long.MAX_VALUE waits ~292 years. */
  boolean awaitStopped(long nanos) {
    lock();
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
      unlock();
    }
  }

}
