package dev.mode.time;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A clock that moves only when told to: for deterministic, fast tests of timers, cron jobs, sleeps
 * and back-off. Give it to a service tree with {@code service.setClock(clock)} before start.
 *
 * <p>{@link #advance(Duration)} moves time forward and, on the calling thread, runs every scheduled
 * action that falls due, in deadline order, with {@link #nanoTime()} set to each action's deadline
 * while it runs; threads parked in {@link #parkUntil} wake. Work those actions hand to other threads
 * (a timer's run) happens after {@code advance} returns: wait for it (for example with {@link
 * #awaitScheduled(int, Duration)} or Awaitility on the timer's counters) before advancing again.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock();
 * service.setClock(clock);
 * service.start();
 * clock.advance(Duration.ofSeconds(1));          // the 1 s timer fires
 * clock.awaitScheduled(1, Duration.ofSeconds(5)); // ...and has re-armed itself
 * }</pre>
 *
 * Thread-safe.
 */
public final class ManualClock implements ModeClock, TimerQueue.Cancel {
  /** The wall-clock start of every new manual clock, unless given: 2026-01-01T00:00:00Z. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final TimerQueue queue = new TimerQueue(); // guarded by lock
  private final Instant origin;
  private volatile long now; // nanoseconds since origin

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
    lock.lock();
    try {
      e = queue.add(deadlineNanos, action, this);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (deadlineNanos - now <= 0) fireDue(now);
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

  /** Moves time forward by {@code d}, running every action that falls due (see the class doc). */
  public void advance(Duration d) {
    Objects.requireNonNull(d, "duration");
    if (d.isNegative()) throw new IllegalArgumentException("Cannot move a clock backwards: " + d);
    long target = now + d.toNanos();
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
    }
  }

  @Override
  public String toString() {
    return "ManualClock[" + instant() + "]";
  }
}
