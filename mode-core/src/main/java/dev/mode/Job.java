package dev.mode;

import dev.mode.time.ModeClock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A timer or cron job of one service, across its runs: the counters live as long as the service;
 * the arming belongs to the current run. Runs never overlap: the next one is armed only when the
 * previous one has returned. An idle job holds no thread, only a slot in its clock's heap.
 */
final class Job implements ThrowingRunnable {
  private static final long NONE = Long.MIN_VALUE;
  private static final long MAX_CORRECTION = Duration.ofMillis(100).toNanos();
  private static final long DRIFT_CAP = Duration.ofMillis(1200).toNanos();
  private static final long ONE_SECOND = Duration.ofSeconds(1).toNanos();

  private static final VarHandle RUNS;
  private static final VarHandle LAST_RUN_START;
  private static final VarHandle LAST_DURATION;
  private static final VarHandle RUNNING;
  private static final VarHandle RUNNING_SINCE;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      RUNS = l.findVarHandle(Job.class, "runs", long.class);
      LAST_RUN_START = l.findVarHandle(Job.class, "lastRunStart", long.class);
      LAST_DURATION = l.findVarHandle(Job.class, "lastDuration", long.class);
      RUNNING = l.findVarHandle(Job.class, "running", Thread.class);
      RUNNING_SINCE = l.findVarHandle(Job.class, "runningSince", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final Service service;
  final JobSpec spec;
  private final long intervalNanos;

  // counters: written only by the run thread (runs never overlap), read by anyone
  private volatile long runs;
  private volatile long overlaps;
  private volatile long driftsEarly;
  private volatile long driftsLate;
  private volatile long errors;
  private volatile long lastRunStart = NONE; // clock nanos
  private volatile long lastDuration = NONE;
  private volatile Throwable lastError;
  private volatile Thread running; // the thread of the run in progress
  private volatile long runningSince; // System.nanoTime() when it began

  // arming: guarded by the service's lock
  private ModeClock.Scheduled scheduled;
  private volatile long deadline = NONE; // clock nanos of the armed (or running) fire
  private volatile Instant cronTarget; // cron: the fire time armed

  Job(Service service, JobSpec spec) {
    this.service = service;
    this.spec = spec;
    this.intervalNanos = spec.interval == null ? 0 : spec.interval.toNanos();
  }

  /** Arms the first run of a new run of the service. Caller holds the service's lock. */
  void armFirst(Run r, ModeClock clock) {
    if (spec.kind == JobSpec.Kind.TIMER) {
      long at = spec.execFirst ? clock.nanoTime() : clock.nanoTime() + intervalNanos;
      arm(r, clock, at, at);
    } else {
      armCron(r, clock, clock.instant());
    }
  }

  /** Caller holds the service's lock. */
  void disarm() {
    ModeClock.Scheduled s = scheduled;
    scheduled = null;
    deadline = NONE;
    if (s != null) s.cancel();
  }

  // slot: the point of the timer's schedule (its first run plus k intervals) this fire is for;
  // at: when to fire, which drift correction moves off the slot by up to 100 ms. Cron: both equal.
  private void arm(Run r, ModeClock clock, long at, long slot) {
    arm(new Fire(r, clock), at, slot);
  }

  private void arm(Fire f, long at, long slot) {
    deadline = at;
    f.at = at;
    f.slot = slot;
    f.onRunner = false;
    // a Fire is armed again only after its entry ran: the clock may reuse the entry
    ModeClock.Scheduled e = f.entry == null ? f.clock.schedule(at, f) : f.clock.reschedule(f.entry, at, f);
    f.entry = e;
    if (scheduled != e) scheduled = e; // the same entry: no store (a card for the collector to scan)
  }

  private void armCron(Run r, ModeClock clock, Instant after) {
    armCron(new Fire(r, clock), after);
  }

  private void armCron(Fire f, Instant after) {
    ModeClock clock = f.clock;
    Optional<ZonedDateTime> next = spec.cron.nextExecution(after.atZone(spec.zone));
    if (next.isEmpty()) {
      deadline = NONE;
      return; // an expression with no future fire time (e.g. Feb 30) never fires
    }
    Instant target = next.get().toInstant();
    cronTarget = target;
    long delay = Duration.between(clock.instant(), target).toNanos();
    long at = clock.nanoTime() + Math.max(0, delay);
    arm(f, at, at);
  }

  /**
   * One arming of this job, and then its run: the clock calls it on its thread when the time comes
   * ({@link #onRunner} false), and it hands itself to a runner ({@link Runners}), where it runs the
   * body. The run re-arms the same object for the next fire, so a run allocates only the clock's
   * heap entry. Fields are written before the object is given to the clock or a runner, which
   * publishes them.
   */
  final class Fire implements Runnable {
    final Run r;
    final ModeClock clock;
    long at;
    long slot;
    boolean onRunner;
    ModeClock.Work work;
    ModeClock.Scheduled entry; // the clock's handle of the last arming
    Instant cronFrom; // the next arming of a cron job: where to search from (a timer's is at and slot)

    Fire(Run r, ModeClock clock) {
      this.r = r;
      this.clock = clock;
    }

    @Override
    public void run() {
      if (!onRunner) {
        // on the clock's thread: nothing else happens here, since at a hundred thousand timers it
        // is the one thread every run passes through. The work is tracked as clock work (see
        // ModeClock.beginWork).
        if (r.jobsClosed) return; // the run is stopping: nothing to do
        onRunner = true;
        work = clock.beginWork();
        Runners.run(this);
        return;
      }
      ModeClock.Work w = work;
      work = null;
      w.started();
      try {
        runOnce(this);
      } finally {
        w.close();
      }
    }

    /** Arms the next fire as decided by the run. Caller holds the service's lock. */
    void rearmLocked() {
      if (cronFrom != null) {
        Instant from = cronFrom;
        cronFrom = null;
        armCron(this, from);
      } else {
        arm(this, at, slot);
      }
    }
  }

  private void runOnce(Fire f) {
    Run r = f.r;
    ModeClock clock = f.clock;
    long asked = f.at;
    long slot = f.slot;
    Thread t = Thread.currentThread();
    if (!r.enter(t)) return;
    // the wake-up is when the body is about to run, after the wait for a carrier thread: that is
    // the lateness the user's code sees, and what drift correction must make up for (a manual
    // clock stands still while the run it fired is in flight, so this is its fire time)
    long wake = clock.nanoTime();
    Fire next = null; // re-armed as the thread leaves the run
    try {
      Callback.enterRun(service, t);
      if (spec.kind == JobSpec.Kind.CRON && clock.instantAt(wake).isBefore(cronTarget)) {
        // the wall clock went back since arming: wait for the fire time again
        f.cronFrom = clock.instant().minusNanos(1);
        next = f;
        return;
      }
      long lateness = wake - slot;
      // drift is the error of this one sleep (woken against asked for), as in Mode: a late wake-up
      // counts once, not again on each run the correction below takes to return to the slots
      if (spec.kind == JobSpec.Kind.TIMER) countDrift(wake - asked);
      // release stores: readers (info, activity) see them; a volatile store's full fence per field
      // cost more than the rest of an empty run's bookkeeping
      RUNS.setRelease(this, runs + 1);
      LAST_RUN_START.setRelease(this, wake);
      RUNNING_SINCE.setRelease(this, clock == ModeClock.system() ? wake : System.nanoTime());
      RUNNING.setRelease(this, t);
      Throwable failed = null;
      try {
        RunInterceptors.run(this, clock, slot, this);
      } catch (Throwable e) {
        failed = e;
        errors++;
        lastError = e;
        service.life.jobFailed(r, spec.name, spec.kind == JobSpec.Kind.TIMER ? "Timer" : "Cron job", e, spec.continueOnError);
      } finally {
        RUNNING.setRelease(this, (Thread) null);
      }
      long end = clock.nanoTime();
      long took = end - wake;
      LAST_DURATION.setRelease(this, took);
      boolean overlapped = spec.kind == JobSpec.Kind.TIMER && took > intervalNanos;
      if (spec.kind == JobSpec.Kind.TIMER) {
        // hold the schedule: the next sleep is the interval corrected by this wake-up's drift from
        // its slot, within +-100 ms; the next run is for the slot nearest to when it fires. So a
        // timer that fell behind returns to its slots by up to 100 ms per run, and after a pause
        // or a long run the slots it missed are skipped, never made up in a burst.
        long sleep = intervalNanos - lateness;
        sleep = Math.max(intervalNanos - MAX_CORRECTION, Math.min(intervalNanos + MAX_CORRECTION, sleep));
        long at = Math.max(wake + Math.max(0, sleep), end);
        // the fire's at and slot are read: they now hold the next arming
        f.slot = slot + intervalNanos * Math.max(1, Math.floorDiv(at - slot + intervalNanos / 2, intervalNanos));
        f.at = at;
      } else {
        Instant now = clock.instant();
        Instant target = cronTarget;
        skipCount(target, now);
        f.cronFrom = now.isAfter(target) ? now : target;
      }
      next = f;
      Events.timerRan(service, spec.name, lateness, took, overlapped, failed);
      if (overlapped) {
        overlaps++;
        if (service.log.isWarnEnabled()) {
          service.log.warn(
              "Timer {} is overlapping (interval={} runtime={})",
              spec.name,
              Durations.format(spec.interval),
              Durations.format(Duration.ofNanos(took)));
        }
      }
    } finally {
      JobTable.rearmAndExit(service.life, r, t, next);
    }
  }

  /** Runs the body once: the programmatic one, or the annotated method (no runnable per service). */
  @Override
  public void run() throws Exception {
    spec.run(service);
  }

  /** The wall-clock time the run for {@code slot} is for: the timer's slot, or the cron fire time. */
  Instant fireTime(ModeClock clock, long slot) {
    return spec.kind == JobSpec.Kind.TIMER ? clock.instantAt(slot) : cronTarget;
  }

  private void countDrift(long error) {
    if (intervalNanos < ONE_SECOND) return;
    long threshold = Math.min(intervalNanos * 3 / 10, DRIFT_CAP);
    if (error >= threshold) {
      driftsLate++;
      // formatted only when logged: a saturated process has every run late, and formatting cost
      // a third of a run's CPU at a million timers
      if (service.log.isInfoEnabled()) {
        service.log.info("Timer {} woke up {} late", spec.name, Durations.format(Duration.ofNanos(error)));
      }
    } else if (-error >= threshold) {
      driftsEarly++;
      if (service.log.isInfoEnabled()) {
        service.log.info("Timer {} woke up {} early", spec.name, Durations.format(Duration.ofNanos(-error)));
      }
    }
  }

  // cron: fire times that passed while the run was going are skipped and counted
  private void skipCount(Instant target, Instant now) {
    Instant t = target;
    for (int i = 0; i < 10_000; i++) {
      Optional<ZonedDateTime> next = spec.cron.nextExecution(t.atZone(spec.zone));
      if (next.isEmpty() || next.get().toInstant().isAfter(now)) return;
      t = next.get().toInstant();
      overlaps++;
    }
  }

  Activity activity() {
    Thread t = running;
    return t == null ? null : new Activity(spec.kind.word + " " + spec.name, t, runningSince);
  }

  Thread runningThread() {
    return running;
  }

  TimerInfo info(ModeClock clock) {
    long d = deadline;
    long start = lastRunStart;
    long dur = lastDuration;
    return new TimerInfo(
        spec.name,
        spec.kind.word,
        spec.scheduleText(),
        runs,
        overlaps,
        driftsEarly,
        driftsLate,
        errors,
        start == NONE ? Optional.empty() : Optional.of(clock.instantAt(start)),
        dur == NONE ? Optional.empty() : Optional.of(Duration.ofNanos(dur)),
        Optional.ofNullable(lastError),
        d == NONE || running != null ? Optional.empty() : Optional.of(clock.instantAt(d)));
  }
}
