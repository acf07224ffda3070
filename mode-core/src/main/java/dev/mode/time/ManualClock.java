package dev.mode.time;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A clock that moves only when told to: for deterministic, fast tests of timers, cron jobs, sleeps,
 * supervisors and back-off. Give it to a service tree with {@code service.setClock(clock)} before
 * start (the {@code mode-test} module's JUnit extension does it for the services a test starts).
 *
 * <p>{@link #advance(Duration)} moves time forward and, on the calling thread, runs every scheduled
 * action that falls due, in deadline order, with {@link #nanoTime()} set to each action's deadline
 * while it runs, and lets everything each action set off <em>settle</em> before the next one runs
 * and before it returns.
 *
 * <h2>Settled</h2>
 *
 * <p>{@code advance} returns when all of the following hold, checked again after every due action:
 *
 * <ol>
 *   <li>every action due at or before the target time has run (so a 1 s timer runs three times in
 *       {@code advance(3s)}, each run seeing the clock at its own fire time);
 *   <li>every piece of work that an action handed to another thread through {@link
 *       ModeClock#beginWork()} is done: a timer or cron run, up to and including its re-arming;
 *   <li>every crash such work caused has been handled by the supervisor it reached: the crashed
 *       service (or group) is RUNNING again, stopped for good, or stopped and waiting for its
 *       back-off delay; or the supervisor has given up and crashed itself, which in turn counts as a
 *       crash its own parent supervisor must handle. A back-off wake-up is itself a due action: when
 *       the delay ends within the same {@code advance}, the restart is waited for like a timer run;
 *   <li>all of the above, transitively: a restart whose timers are due at once, a restart that
 *       crashes again.
 * </ol>
 *
 * <p>Not waited for: threads woken from a sleep on this clock ({@link #parkUntil}, which is what a
 * task's {@code sleep} uses) run on concurrently after {@code advance} returns, as do the test's own
 * threads; a crash of a service that no supervisor handles propagates to its parent at once and needs
 * no waiting. The wait for handed-off work is bounded by {@link #setQuietTimeout(Duration)} (real
 * time, 10 s by default), so work that blocks on the test itself (or on this clock, which cannot move
 * while it waits) cannot hang the test: {@code advance} then logs a warning and returns unsettled.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock();
 * supervisor.setClock(clock);
 * supervisor.setBackoff(Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(8)));
 * supervisor.start();
 * clock.advance(Duration.ofSeconds(1));   // the service's timer crashes it: stopped, back-off 1 s
 * clock.advance(Duration.ofSeconds(1));   // restarted: RUNNING, restartCount() == 1
 * }</pre>
 *
 * Thread-safe.
 */
public final class ManualClock implements ModeClock, TimerQueue.Cancel {
  private static final Logger LOG = LoggerFactory.getLogger(ManualClock.class);
  /** The wall-clock start of every new manual clock, unless given: 2026-01-01T00:00:00Z. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final TimerQueue queue = new TimerQueue(); // guarded by lock
  private final Instant origin;
  private volatile long now; // nanoseconds since origin
  private int inFlight; // guarded by lock: work handed off by actions and not yet done
  private final Set<Thread> workers = new HashSet<>(); // guarded by lock
  private volatile Duration quietTimeout = Duration.ofSeconds(10);
  private final ThreadLocal<Boolean> firingDueNow = new ThreadLocal<>(); // on the helper thread below

  /** A manual clock at {@link #DEFAULT_START}. */
  public ManualClock() {
    this(DEFAULT_START);
  }

  /** A manual clock whose {@link #instant()} starts at {@code start}. */
  public ManualClock(Instant start) {
    this.origin = Objects.requireNonNull(start, "start");
  }

  @Override
  public long nanoTime() {
    return now;
  }

  @Override
  public Instant instant() {
    return origin.plusNanos(now);
  }

  /**
   * Parks until {@link #advance} reaches the deadline (or an unpark or interrupt): a thread sleeping
   * on a manual clock counts in {@link #scheduledCount()} while it sleeps.
   */
  @Override
  public void parkUntil(long deadlineNanos) {
    if (deadlineNanos - now <= 0) return;
    Thread t = Thread.currentThread();
    Scheduled s = schedule(deadlineNanos, () -> LockSupport.unpark(t));
    try {
      LockSupport.park(this);
    } finally {
      s.cancel();
    }
  }

  @Override
  public Scheduled schedule(long deadlineNanos, Runnable action) {
    Objects.requireNonNull(action, "action");
    TimerQueue.Entry e;
    boolean dueNow;
    lock.lock();
    try {
      e = queue.add(deadlineNanos, action, this);
      dueNow = deadlineNanos - now <= 0;
      if (dueNow) inFlight++; // counted until it has fired, so advance() waits for it
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (dueNow) {
      // Fired from another thread: the caller may hold locks that the action's work needs.
      Thread.ofVirtual()
          .name("manual-clock")
          .start(
              () -> {
                firingDueNow.set(Boolean.TRUE);
                try {
                  fireDue(now);
                } finally {
                  lock.lock();
                  try {
                    inFlight--;
                    changed.signalAll();
                  } finally {
                    lock.unlock();
                  }
                }
              });
    }
    return e;
  }

  @Override
  public boolean cancel(TimerQueue.Entry e) {
    lock.lock();
    try {
      boolean removed = queue.remove(e);
      if (removed) changed.signalAll();
      return removed;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Work beginWork() {
    lock.lock();
    try {
      inFlight++;
    } finally {
      lock.unlock();
    }
    return new Work() {
      private Thread worker;

      @Override
      public void started() {
        lock.lock();
        try {
          worker = Thread.currentThread();
          workers.add(worker);
        } finally {
          lock.unlock();
        }
      }

      @Override
      public void close() {
        lock.lock();
        try {
          inFlight--;
          if (worker != null) workers.remove(worker);
          changed.signalAll();
        } finally {
          lock.unlock();
        }
      }
    };
  }

  /** Bounds how long (real time) {@link #advance} waits for handed-off work; default 10 s. */
  public void setQuietTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) throw new IllegalArgumentException("Quiet timeout must not be negative: " + timeout);
    this.quietTimeout = timeout;
  }

  /**
   * Moves time forward by {@code d}, running every action that falls due, and returns once
   * everything they set off has settled (see the class doc for what that means).
   *
   * @throws IllegalArgumentException if {@code d} is negative
   */
  public void advance(Duration d) {
    long step = forward(d); // first: work in flight may still move the clock
    long target = now + step;
    fireDue(target);
    lock.lock();
    try {
      if (target - now > 0) now = target;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Number of pending scheduled actions, sleeping threads included. */
  public int scheduledCount() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits (in real time, at most {@code timeout}) until at least {@code count} actions are scheduled:
   * the way a test knows that a timer has re-armed or a task has gone to sleep before it advances.
   *
   * @return true if the count was reached
   */
  public boolean awaitScheduled(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (queue.size() < count) {
        long wait = deadline - System.nanoTime();
        if (wait <= 0) return false;
        changed.awaitNanos(wait);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Time elapsed since this clock was made. */
  public Duration elapsed() {
    return Duration.ofNanos(now);
  }

  /**
   * Moves time forward by {@code d} at once, as if the process had been paused (a long GC, a
   * suspended VM): actions that fell due meanwhile then run late, all at the new time, in deadline
   * order. Waits for their handed-off work as {@link #advance} does.
   */
  public void jump(Duration d) {
    long step = forward(d);
    lock.lock();
    try {
      now = now + step;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    fireDue(now);
  }

  // checks a step forward and lets work still in flight finish first; returns the step in nanoseconds
  private long forward(Duration d) {
    Objects.requireNonNull(d, "duration");
    if (d.isNegative()) throw new IllegalArgumentException("Cannot move a clock backwards: " + d);
    awaitQuiet();
    return d.toNanos();
  }

  // Runs due actions in deadline order, outside the lock (actions may take other locks or schedule
  // more; those run too if due by target).
  private void fireDue(long target) {
    for (;;) {
      TimerQueue.Entry due;
      lock.lock();
      try {
        TimerQueue.Entry first = queue.peek();
        if (first == null || first.deadline - target > 0) return;
        due = queue.poll();
        if (due.deadline - now > 0) now = due.deadline;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
      due.action.run();
      awaitQuiet();
    }
  }

  // waits until no handed-off work is in flight (but the caller's own, when a run advances the clock
  // or when this is the thread firing an action that was already due)
  private void awaitQuiet() {
    long deadline = System.nanoTime() + quietTimeout.toNanos();
    lock.lock();
    try {
      Thread me = Thread.currentThread();
      int own = (workers.contains(me) ? 1 : 0) + (firingDueNow.get() != null ? 1 : 0);
      while (inFlight > own) {
        long wait = deadline - System.nanoTime();
        if (wait <= 0) {
          LOG.warn(
              "{}: {} piece(s) of work still running after the quiet timeout of {}; moving on unsettled",
              this, inFlight - own, quietTimeout);
          return;
        }
        changed.awaitNanos(wait);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "ManualClock[" + instant() + "]";
  }
}
