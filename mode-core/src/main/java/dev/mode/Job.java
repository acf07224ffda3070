package dev.mode;

import dev.mode.time.ModeClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A timer or cron job of one service, across its runs: the counters live as long as the service;
 * the arming belongs to the current run. Runs never overlap: the next one is armed only when the
 * previous one has returned. An idle job holds no thread, only a slot in its clock's heap.
 */
final class Job {
  private static final long NONE = Long.MIN_VALUE;
  private static final long MAX_CORRECTION = Duration.ofMillis(100).toNanos();
  private static final long DRIFT_CAP = Duration.ofMillis(1200).toNanos();
  private static final long ONE_SECOND = Duration.ofSeconds(1).toNanos();

  final Service service;
  final JobSpec spec;
  private final ThrowingRunnable body;
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
    this.body = spec.bind(service);
    this.intervalNanos = spec.interval == null ? 0 : spec.interval.toNanos();
  }

  /** Arms the first run of a new run of the service. Caller holds the service's lock. */
  void armFirst(Run r, ModeClock clock) {
    if (spec.kind == JobSpec.Kind.TIMER) {
      arm(r, clock, spec.execFirst ? clock.nanoTime() : clock.nanoTime() + intervalNanos);
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

  private void arm(Run r, ModeClock clock, long at) {
    deadline = at;
    scheduled = clock.schedule(at, () -> fire(r, clock));
  }

  private void armCron(Run r, ModeClock clock, Instant after) {
    Optional<ZonedDateTime> next = spec.cron.nextExecution(after.atZone(spec.zone));
    if (next.isEmpty()) {
      deadline = NONE;
      return; // an expression with no future fire time (e.g. Feb 30) never fires
    }
    Instant target = next.get().toInstant();
    cronTarget = target;
    long delay = Duration.between(clock.instant(), target).toNanos();
    arm(r, clock, clock.nanoTime() + Math.max(0, delay));
  }

  // On the clock's thread: hand the run to a virtual thread of the service. The wake-up time is
  // taken here, when the clock fires, so a manual clock's runs see their own fire times; the
  // hand-off is tracked as clock work (see ModeClock.beginWork).
  private void fire(Run r, ModeClock clock) {
    long due = deadline;
    long fired = clock.nanoTime();
    ModeClock.Work work = clock.beginWork();
    boolean launched =
        r.launch(
            () -> {
              work.started();
              try {
                runOnce(r, clock, due, fired);
              } finally {
                work.close();
              }
            });
    if (!launched) work.close(); // the run is stopping: nothing to do
  }

  private void runOnce(Run r, ModeClock clock, long due, long wake) {
    Thread t = Thread.currentThread();
    if (!r.enter(t)) return;
    String oldName = service.enterThread(t, spec.name);
    try {
      if (spec.kind == JobSpec.Kind.CRON && clock.instantAt(wake).isBefore(cronTarget)) {
        // the wall clock went back since arming: wait for the fire time again
        service.rearm(r, () -> armCron(r, clock, clock.instant().minusNanos(1)));
        return;
      }
      long lateness = wake - due;
      if (spec.kind == JobSpec.Kind.TIMER) countDrift(lateness);
      runs++;
      lastRunStart = wake;
      runningSince = System.nanoTime();
      running = t;
      Throwable failed = null;
      try {
        body.run();
      } catch (Throwable e) {
        failed = e;
        errors++;
        lastError = e;
        service.jobFailed(r, spec.name, spec.kind == JobSpec.Kind.TIMER ? "Timer" : "Cron job", e, spec.continueOnError);
      } finally {
        running = null;
      }
      long end = clock.nanoTime();
      long took = end - wake;
      lastDuration = took;
      boolean overlapped = spec.kind == JobSpec.Kind.TIMER && took > intervalNanos;
      service.timerRan(spec.name, lateness, took, overlapped, failed);
      if (spec.kind == JobSpec.Kind.TIMER) {
        if (overlapped) {
          overlaps++;
          service.log.warn(
              "Timer {} is overlapping (interval={} runtime={})",
              spec.name,
              Durations.format(spec.interval),
              Durations.format(Duration.ofNanos(took)));
        }
        // hold the schedule: correct the next sleep by this wake-up's lateness, within +-100 ms
        long sleep = intervalNanos - lateness;
        sleep = Math.max(intervalNanos - MAX_CORRECTION, Math.min(intervalNanos + MAX_CORRECTION, sleep));
        long next = Math.max(wake + Math.max(0, sleep), end);
        service.rearm(r, () -> arm(r, clock, next));
      } else {
        Instant now = clock.instant();
        Instant target = cronTarget;
        skipCount(target, now);
        Instant from = now.isAfter(target) ? now : target;
        service.rearm(r, () -> armCron(r, clock, from));
      }
    } finally {
      service.exitThread(t, oldName);
      r.exit(t);
    }
  }

  private void countDrift(long lateness) {
    if (intervalNanos < ONE_SECOND) return;
    long threshold = Math.min(intervalNanos * 3 / 10, DRIFT_CAP);
    if (lateness >= threshold) {
      driftsLate++;
      service.log.info("Timer {} woke up {} late", spec.name, Durations.format(Duration.ofNanos(lateness)));
    } else if (-lateness >= threshold) {
      driftsEarly++;
      service.log.info("Timer {} woke up {} early", spec.name, Durations.format(Duration.ofNanos(-lateness)));
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
