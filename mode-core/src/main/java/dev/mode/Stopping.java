package dev.mode;

import java.util.List;

/**
 * The steps of one stop (SPEC §3). One thread claims a run's stop and runs its steps; others wait
 * for it, except a thread of the service's own subtree, which the stop may be waiting for. Static:
 * a stop needs no object of its own.
 */
final class Stopping {
  private Stopping() {}

  /** Stops the service (idempotent, any thread). */
  static void stop(Lifecycle life) {
    Service s = life.service;
    Thread me = Thread.currentThread();
    Run r;
    boolean owner = false;
    boolean requested = false;
    List<AutoCloseable> neverStarted = null;
    life.lock();
    try {
      r = life.run;
      if (life.state == State.INIT) {
        r.stopRequested = true;
        r.jobsClosed = true;
        r.stopClaimed = true;
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
          if (r.stopDone || life.run != r) break;
          if (!r.stopClaimed && (r.starter == null || r.starter == me)) {
            r.stopClaimed = true;
            owner = true;
            break;
          }
          if (r.stopClaimed) {
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
            r.stopClaimed = true;
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
      JobTable.closeAll(s, neverStarted);
      return;
    }
    if (requested) {
      r.wakeSleepers();
      Events.deliver(life);
    }
    if (owner) steps(life, r);
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

  /** The stop steps, run by the one thread that claimed the stop of run {@code r}. */
  static void steps(Lifecycle life, Run r) {
    Service s = life.service;
    long t0 = System.nanoTime();
    if (s.log.isInfoEnabled()) s.log.info("Stopping...");
    boolean onStartCalled;
    life.lock();
    try {
      onStartCalled = r.onStartCalled;
    } finally {
      life.unlock();
    }
    if (onStartCalled) Callback.ON_STOP.callLogged(s);
    Service[] kids = s.children;
    for (int i = kids.length - 1; i >= 0; i--) {
      try {
        stop(kids[i].life);
      } catch (Throwable t) {
        s.log.error("Stopping dependency {} failed; the stop goes on", kids[i].path(), t);
      }
    }
    JobTable.stopJobs(life, r);
    JobTable.closeAll(s, life.drainCloseables(r));
    if (onStartCalled) Callback.ON_SHUTDOWN.callLogged(s);
    life.lock();
    try {
      r.stopDone = true;
      life.terminations++;
      life.stopNanos = System.nanoTime() - t0;
      if (life.state != State.CRASHED) life.moveLocked(State.SHUTDOWN);
      else life.changed.signalAll();
    } finally {
      life.unlock();
    }
    if (s.log.isInfoEnabled()) s.log.info("Stopped in {} ms", Durations.formatMillis(life.stopNanos));
    Events.deliver(life);
  }
}
