package dev.mode;

import java.util.List;

/**
 * The steps of one stop (SPEC §3), as a small resumable state machine. One thread owns a run's stop
 * and runs its steps; others wait for it, except a thread of the service's own subtree, which the
 * stop may be waiting for. The step to run next is kept in the {@link Run}, and each step is marked
 * done before it runs: so when a callback or {@code close()} overruns the stop timeout, {@link
 * BoundedStop} hands the stop to a new thread, which takes over the runs the stuck thread owned and
 * goes on after the stuck step. Static: a stop needs no object of its own.
 */
final class Stopping {
  // the steps, in order: ON_STOP -> JOBS -> CHILDREN -> CLOSE -> ON_SHUTDOWN -> FINISH
  private static final byte ON_STOP = 0;
  private static final byte JOBS = 1;
  private static final byte CHILDREN = 2;
  private static final byte CLOSE = 3;
  private static final byte ON_SHUTDOWN = 4;
  private static final byte FINISH = 5;

  private Stopping() {}

  /** Stops the service (idempotent, any thread); returns within the stop timeouts whatever user code does. */
  static void stop(Lifecycle life) {
    life.lock();
    try {
      // nothing to do, and nobody below to sweep: no helper thread
      if (life.run.stopDone && life.service.children.length == 0) return;
    } finally {
      life.unlock();
    }
    BoundedStop.run(life, () -> stopHere(life));
  }

  /**
   * Stops the service on this thread: claims the stop (or takes it over from an abandoned thread) and
   * runs its steps, or waits for the thread that owns it. A service whose stop is done, or that never
   * started, still has its running descendants stopped.
   */
  static void stopHere(Lifecycle life) {
    Service s = life.service;
    Thread me = Thread.currentThread();
    Thread caller = BoundedStop.caller();
    Run r;
    boolean owner = false;
    boolean requested = false;
    boolean sweep = false;
    List<AutoCloseable> neverStarted = null;
    life.lock();
    try {
      r = life.run;
      if (life.state == State.INIT) {
        r.stopRequested = true;
        r.jobsClosed = true;
        r.stopOwner = me;
        r.stopDone = true;
        life.terminations++;
        for (TaskHandle h : r.tasks) h.cancel(false);
        neverStarted = r.drainCloseables();
        life.moveLocked(State.SHUTDOWN);
      } else {
        requested = requestLocked(life, r);
        long waitLimit = Durations.toNanosSaturated(s.stopTimeout());
        boolean warned = false;
        for (;;) {
          if (life.run != r) break; // restarted meanwhile: that is a new run's business
          if (r.stopDone) {
            sweep = true;
            break;
          }
          Thread o = r.stopOwner;
          // a helper acts for its caller: a stop called from a start callback claims that start's stop
          if (o == null && (r.starter == null || r.starter == me || r.starter == caller)) {
            r.stopOwner = me;
            owner = true;
            break;
          }
          if (o != null) {
            if (BoundedStop.isAbandoned(o)) {
              r.stopOwner = me; // the owner overran the stop timeout: go on where it stopped
              owner = true;
              break;
            }
            if (ServiceTree.ownedBySubtree(s)) break; // the stop in progress may be waiting for this very thread
            life.changed.awaitUninterruptibly();
            continue;
          }
          // another thread is starting this service: it stops at its next step
          Service starting = r.startingChild;
          if (starting != null) {
            life.unlock();
            try {
              request(starting.life);
            } finally {
              life.lock();
            }
            continue;
          }
          if (waitLimit <= 0) {
            if (!warned) JobTable.warnStuck(s, r.starter, "start");
            warned = true;
            r.stopOwner = me;
            owner = true;
            break;
          }
          try {
            waitLimit = life.changed.awaitNanos(waitLimit);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            waitLimit = 0;
          }
        }
      }
    } finally {
      life.unlock();
    }
    if (neverStarted != null) {
      Events.deliver(life);
      for (AutoCloseable c : neverStarted) BoundedStop.close(s, c);
      sweep = true;
    } else if (requested) {
      r.wakeSleepers();
      Events.deliver(life);
    }
    if (owner) steps(life, r);
    if (sweep) sweepDependencies(s);
  }

  /** Claims the stop of run {@code r} if nobody has and runs its steps (a failed start's cleanup). */
  static void claimAndRun(Lifecycle life, Run r) {
    boolean claim;
    life.lock();
    try {
      claim = life.run == r && r.stopOwner == null;
      if (claim) r.stopOwner = Thread.currentThread();
    } finally {
      life.unlock();
    }
    if (claim) steps(life, r);
  }

  // a stopped or never started service: stop whatever below it still runs (SPEC §3), last first
  private static void sweepDependencies(Service s) {
    Service[] kids = s.children;
    for (int i = kids.length - 1; i >= 0; i--) stopChild(s, kids[i]);
  }

  private static void stopChild(Service s, Service child) {
    try {
      stopHere(child.life);
    } catch (Throwable t) {
      s.log.error("Stopping dependency {} failed; the stop goes on", child.path(), t);
    }
  }

  // RUNNING or STARTING -> STOPPING; true if the state changed
  private static boolean requestLocked(Lifecycle life, Run r) {
    if (r.stopRequested) return false;
    r.stopRequested = true;
    State from = life.state;
    if (from == State.RUNNING || from == State.STARTING) {
      life.moveLocked(State.STOPPING);
      return true;
    }
    return false;
  }

  // sets shouldStop along the chain of dependencies being started, so a start in progress ends soon
  private static void request(Lifecycle life) {
    Run r;
    boolean requested;
    Service starting;
    life.lock();
    try {
      r = life.run;
      requested = life.state != State.INIT && requestLocked(life, r);
      starting = r.startingChild;
    } finally {
      life.unlock();
    }
    if (requested) {
      r.wakeSleepers();
      Events.deliver(life);
    }
    if (starting != null) request(starting.life);
  }

  /**
   * Runs the stop steps of run {@code r} from the one it is at, while this thread owns the stop:
   * onStop, tasks and timers interrupted and joined, dependencies in reverse, closeables LIFO,
   * onShutdown (SPEC §3, revised: tasks end before dependencies stop). Each pass takes the lock once
   * to pick the next step with work to do (steps with nothing to do are passed under that same lock,
   * so a trivial service's stop takes it twice) and marks the step done before running it.
   */
  static void steps(Lifecycle life, Run r) {
    Service s = life.service;
    Thread me = Thread.currentThread();
    Service stopped = null; // the dependency whose stop the last pass ran
    for (;;) {
      byte step;
      boolean begun = false; // this pass began the stop: log it
      Service child = null;
      AutoCloseable closeable = null;
      life.lock();
      try {
        if (r.stopOwner != me) return; // this thread overran and another took over
        for (;;) {
          step = r.stopStep;
          if ((step == CLOSE || step == ON_SHUTDOWN) && s.children != r.stopKids) {
            // a dependency was added after the dependencies' step (a running one, say, added by a
            // close()): it stops before onShutdown, as the others did
            r.stopStep = CHILDREN;
            continue;
          }
          if (step == ON_STOP || step == ON_SHUTDOWN) {
            r.stopStep = (byte) (step + 1); // marked done first: a thread taking over goes on after it
            if (step == ON_STOP) {
              r.stopBegan = System.nanoTime();
              begun = true;
            }
            Callback c = step == ON_STOP ? Callback.ON_STOP : Callback.ON_SHUTDOWN;
            if (r.onStartCalled && c.overriddenBy(s)) break;
          } else if (step == JOBS) {
            r.stopStep = CHILDREN;
            if (JobTable.hasJobsLocked(life, r)) break;
            r.jobsClosed = true;
          } else if (step == CHILDREN) {
            if (r.stopKids == null) {
              r.stopKids = s.children;
              r.stopChild = r.stopKids.length;
            }
            // counted off only once its stop has returned
            if (stopped != null && r.stopChild > 0 && r.stopKids[r.stopChild - 1] == stopped) r.stopChild--;
            stopped = null;
            if (r.stopChild > 0) {
              child = r.stopKids[r.stopChild - 1];
              break;
            }
            Service[] now = s.children;
            if (now != r.stopKids) {
              // dependencies were added or removed meanwhile: go over the current ones too (those
              // already stopped return at once)
              r.stopKids = now;
              r.stopChild = now.length;
              continue;
            }
            r.stopStep = CLOSE;
          } else if (step == CLOSE) {
            closeable = r.pollCloseable();
            if (closeable != null) break;
            r.stopStep = ON_SHUTDOWN;
          } else {
            finishLocked(life, r);
            break;
          }
        }
      } finally {
        life.unlock();
      }
      if (begun && s.log.isInfoEnabled()) s.log.info("Stopping...");
      switch (step) {
        case ON_STOP -> BoundedStop.callback(s, Callback.ON_STOP);
        case JOBS -> JobTable.stopJobs(life, r);
        case CHILDREN -> {
          stopChild(s, child);
          stopped = child;
        }
        case CLOSE -> BoundedStop.close(s, closeable);
        case ON_SHUTDOWN -> BoundedStop.callback(s, Callback.ON_SHUTDOWN);
        default -> {
          if (s.log.isInfoEnabled()) s.log.info("Stopped in {} ms", Durations.formatMillis(life.stopNanos));
          Events.deliver(life);
          Events.stopped(s, life.stopNanos);
          return;
        }
      }
    }
  }

  private static void finishLocked(Lifecycle life, Run r) {
    r.stopDone = true;
    life.terminations++;
    life.stopNanos = System.nanoTime() - r.stopBegan;
    if (life.state != State.CRASHED) life.moveLocked(State.SHUTDOWN);
    else life.changed.signalAll();
  }
}
