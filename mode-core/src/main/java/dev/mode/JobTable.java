package dev.mode;

import dev.mode.time.ModeClock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;

/**
 * A service's tasks, timers, cron jobs and closeables: adding them, launching them at start,
 * interrupting and joining them at stop. With {@link Run}, the only code that starts or joins task
 * and timer threads (a stop's helper thread is {@link BoundedStop}'s). The table itself ({@link
 * Lifecycle#jobs}) lives in the engine so that it costs no object per service; only this class
 * writes it. Every method takes the engine's lock briefly and never holds it around a join or user
 * code.
 */
final class JobTable {
  private JobTable() {}

  /**
   * Launches @Tasks, queued tasks, timers and cron jobs for run {@code r}. Caller holds the lock and
   * has checked that no stop came first.
   */
  static void launchLocked(Lifecycle life, Run r) {
    Service s = life.service;
    r.jobsLaunched = true;
    List<JobSpec> specs = s.model.jobs;
    for (int i = 0; i < specs.size(); i++) { // indexed: no iterator for the usual empty list
      JobSpec spec = specs.get(i);
      if (spec.kind == JobSpec.Kind.TASK) r.tasks.add(new TaskHandle(s, r, spec.name, spec.bind(s)));
    }
    Job[] jobs = life.jobs;
    if (r.tasks.isEmpty() && jobs.length == 0) return;
    for (TaskHandle h : r.tasks) launchLocked(r, h);
    ModeClock c = s.clock();
    for (Job j : jobs) j.armFirst(r, c);
  }

  private static void launchLocked(Run r, TaskHandle h) {
    if (h.launched) return;
    h.launched = true;
    if (!r.launch(h)) h.cancel(false);
  }

  static Future<?> addTask(Lifecycle life, String name, ThrowingRunnable body) {
    Service s = life.service;
    life.lock();
    try {
      Run r = life.run;
      State state = life.state;
      if (state != State.INIT && state != State.STARTING && state != State.RUNNING || r.stopRequested) {
        throw new IllegalStateException(
            "Cannot add task " + name + " to " + s.path() + ": it is " + state
                + " (add tasks before start or while it runs)");
      }
      TaskHandle h = new TaskHandle(s, r, name, body);
      r.tasks.removeIf(t -> t.launched && t.isDone());
      r.tasks.add(h);
      if (state != State.INIT) launchLocked(r, h);
      return h;
    } finally {
      life.unlock();
    }
  }

  static void addJob(Lifecycle life, Job job) {
    life.lock();
    try {
      Job[] jobs = life.jobs;
      for (Job j : jobs) {
        if (j.spec.name.equals(job.spec.name)) {
          throw new IllegalArgumentException(
              life.service.path() + " already has a timer or cron job named " + job.spec.name);
        }
      }
      Job[] grown = Arrays.copyOf(jobs, jobs.length + 1);
      grown[jobs.length] = job;
      life.jobs = grown;
      Run r = life.run;
      if (r.jobsLaunched && !r.jobsClosed) job.armFirst(r, life.service.clock());
    } finally {
      life.unlock();
    }
  }

  /**
   * A timer or cron run ends: arms its next run unless the service's run is stopping, and takes the
   * thread out of the run's threads, both under one lock acquisition.
   */
  static void rearmAndExit(Lifecycle life, Run r, Thread t, Job.Fire next) {
    life.lock();
    try {
      if (next != null && life.run == r && !r.jobsClosed && !r.stopRequested) next.rearmLocked();
      r.exitLocked(t);
    } finally {
      life.unlock();
    }
  }

  static <T extends AutoCloseable> T addCloseable(Lifecycle life, T resource) {
    life.lock();
    try {
      Run r = life.run;
      if (r.closeablesClosed) {
        throw new IllegalStateException(
            "Cannot add closeable " + resource + " to " + life.service.path() + ": it is " + life.state
                + " and has already closed its resources");
      }
      r.addCloseable(resource);
      return resource;
    } finally {
      life.unlock();
    }
  }

  /** Whether run {@code r} has tasks or timers to stop. Caller holds the lock. */
  static boolean hasJobsLocked(Lifecycle life, Run r) {
    return life.jobs.length > 0 || !r.tasks.isEmpty();
  }

  /**
   * Interrupts and joins tasks and timer runs, bounded by the stop timeout. A thread is joined by
   * waiting for it to leave the run (timer runners live on for other runs).
   */
  static void stopJobs(Lifecycle life, Run r) {
    Service s = life.service;
    List<TaskHandle> pending;
    // never the current thread, nor a task that called stop() and waits for this helper
    Thread me = Thread.currentThread();
    Thread caller = BoundedStop.caller();
    int running;
    life.lock();
    try {
      r.jobsClosed = true;
      Job[] jobs = life.jobs;
      if (jobs.length == 0 && r.tasks.isEmpty()) return; // nothing ran
      pending = new ArrayList<>(0);
      for (Job j : jobs) j.disarm();
      for (TaskHandle h : r.tasks) if (!h.launched) pending.add(h);
      running = r.interruptOthersLocked(me, caller);
    } finally {
      life.unlock();
    }
    for (TaskHandle h : pending) h.cancel(false);
    if (running == 0) return;
    long timeout = Durations.toNanosSaturated(s.stopTimeout());
    boolean ended;
    List<Thread> stuck = List.of();
    life.lock();
    try {
      try {
        ended = r.awaitOthersLocked(me, caller, timeout);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ended = r.othersLocked(me, caller) == 0;
      }
      if (!ended) stuck = r.threadsLocked();
    } finally {
      life.unlock();
    }
    for (Thread t : stuck) if (t != me && t != caller) warnStuck(s, t, "task");
  }

  /** Logs at WARN that {@code what} on thread {@code t} outlived the stop timeout, with its stack. */
  static void warnStuck(Service s, Thread t, String what) {
    if (t == null) return;
    Throwable where = new Throwable("stack of " + t.getName());
    where.setStackTrace(t.getStackTrace());
    s.log.warn(
        "The {} on thread {} did not end within the stop timeout ({}); the stop goes on without it",
        what,
        t.getName(),
        Durations.format(s.stopTimeout()),
        where);
  }

  // ------------------------------------------------------------------------------------------
  // Snapshots

  /** The timers and cron jobs; the array is replaced, never changed, so it is a snapshot. */
  static Job[] jobs(Lifecycle life) {
    life.lock();
    try {
      return life.jobs;
    } finally {
      life.unlock();
    }
  }

  static List<TaskInfo> tasks(Lifecycle life) {
    List<TaskInfo> out = new ArrayList<>();
    life.lock();
    try {
      for (TaskHandle h : life.run.tasks) {
        if (!h.isDone()) out.add(new TaskInfo(h.name, "task", Optional.ofNullable(h.runner)));
      }
      for (Job j : life.jobs) {
        Thread t = j.runningThread();
        if (t != null) out.add(new TaskInfo(j.spec.name, j.spec.kind.word, Optional.of(t)));
      }
    } finally {
      life.unlock();
    }
    return List.copyOf(out);
  }

  static List<TimerInfo> timers(Lifecycle life) {
    Job[] js = jobs(life);
    ModeClock c = life.service.clock();
    List<TimerInfo> out = new ArrayList<>(js.length);
    for (Job j : js) out.add(j.info(c));
    return List.copyOf(out);
  }

  static List<Activity> activities(Lifecycle life, Activity callback) {
    List<Activity> out = new ArrayList<>(1);
    if (callback != null) out.add(callback);
    for (Job j : jobs(life)) {
      Activity ja = j.activity();
      if (ja != null) out.add(ja);
    }
    return List.copyOf(out);
  }
}
