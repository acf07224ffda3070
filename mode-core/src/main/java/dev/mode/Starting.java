package dev.mode;

/**
 * The steps of one start (SPEC §2), run by the thread that moved the service to STARTING. Static:
 * a start needs no object of its own. Each step first checks, under the lock, that no stop or crash
 * came meanwhile; a stop makes the start return quietly, a failure crashes the service and stops
 * what this start began.
 */
final class Starting {
  private Starting() {}

  static void run(Lifecycle life, Run r, Thread me) {
    Service s = life.service;
    long t0 = System.nanoTime();
    if (s.log.isInfoEnabled()) s.log.info("Starting...");
    boolean running = false;
    try {
      running = steps(life, r, t0);
    } catch (Throwable t) {
      fail(life, r, t);
    } finally {
      if (!running) {
        life.lock();
        try {
          if (r.starter == me) {
            r.starter = null;
            r.startingChild = null;
            life.changed.signalAll();
          }
        } finally {
          life.unlock();
        }
      }
    }
  }

  /** The start steps; true when RUNNING, false when a stop cut them short. */
  private static boolean steps(Lifecycle life, Run r, long t0) throws Exception {
    Service s = life.service;
    // each runs until it has succeeded once: a failed first start retries them at the next start
    if (!life.depsInitialised) {
      Iterable<? extends Service> deps = Callback.initDependencies(s);
      if (deps != null) for (Service d : deps) s.addDependency(d);
      life.depsInitialised = true;
    }
    if (!life.firstStartDone) {
      Callback.ON_FIRST_START.call(s);
      life.firstStartDone = true;
    }
    if (!proceedToOnStart(life, r)) return false;
    Callback.ON_START.call(s);
    // dependencies one after another; re-read each time, so one added meanwhile (say by a task
    // started from onStart) is started too; one pass of the lock per dependency, plus one that finds
    // none left and begins the tasks and timers (SPEC §2, revised: once every dependency runs)
    for (int i = 0; ; i++) {
      Service child;
      life.lock();
      try {
        if (!proceedLocked(life, r)) return false;
        r.depsStarting = true; // from now on addRuntimeDependency starts a new one itself
        Service[] kids = s.children;
        if (i >= kids.length) {
          JobTable.launchLocked(life, r);
          break;
        }
        child = kids[i];
        r.startingChild = child;
      } finally {
        life.unlock();
      }
      try {
        child.life.start(true, s);
      } catch (StopDuringStart e) {
        return false;
      } catch (ServiceException e) {
        Throwable reason = child.crashReason();
        throw new DependencyFailed(child, reason != null ? reason : e.getCause() == null ? e : e.getCause());
      }
    }
    Callback.ON_STARTED.call(s);
    life.lock();
    try {
      if (!proceedLocked(life, r)) return false;
      r.starter = null;
      r.startingChild = null;
      life.runningSince = System.nanoTime();
      life.startNanos = life.runningSince - t0;
      life.moveLocked(State.RUNNING);
    } finally {
      life.unlock();
    }
    if (s.log.isDebugEnabled()) s.log.debug("Started in {} ms", Durations.formatMillis(life.startNanos));
    Events.deliver(life);
    return true;
  }

  // false if a stop came first; else onStart is about to run, so the stop will run onStop and onShutdown
  private static boolean proceedToOnStart(Lifecycle life, Run r) {
    life.lock();
    try {
      if (!proceedLocked(life, r)) return false;
      r.onStartCalled = true;
      return true;
    } finally {
      life.unlock();
    }
  }

  /** Under the lock: false if a stop was requested; throws if the service crashed meanwhile. */
  static boolean proceedLocked(Lifecycle life, Run r) {
    if (life.state == State.CRASHED) throw new CrashedDuringStart(life.crashReason);
    return !r.stopRequested && life.run == r;
  }

  private static void fail(Lifecycle life, Run r, Throwable t) {
    if (t instanceof StopDuringStart) return;
    Service s = life.service;
    Throwable reason;
    Service origin = s;
    if (t instanceof DependencyFailed df) {
      reason = df.reason;
      origin = df.child;
    } else if (t instanceof CrashedDuringStart c) {
      reason = c.reason;
    } else {
      reason = t;
    }
    life.lock();
    try {
      // a stop interrupted a start step: that is the stop's doing, not a failure
      if (r.stopRequested && life.state != State.CRASHED && Lifecycle.isInterruption(reason)) return;
    } finally {
      life.unlock();
    }
    life.crash(reason, origin);
    // stops what this start began; no other thread claims the stop while this one is the starter
    BoundedStop.run(life, () -> Stopping.claimAndRun(life, r));
    throw new ServiceException(s.path() + " failed to start: " + reason, reason);
  }

  // ------------------------------------------------------------------------------------------
  // Internal control-flow signals of start (never escape start)

  /** A dependency's start found its parent stopping. */
  static final class StopDuringStart extends RuntimeException {
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
