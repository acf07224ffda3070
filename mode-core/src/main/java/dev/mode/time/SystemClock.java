package dev.mode.time;

import java.time.Instant;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real clock. All scheduled actions share one heap and one daemon platform thread
 * ("mode-clock"), started on first use; an action only hands work to a virtual thread, so the
 * clock thread is never busy for long.
 */
final class SystemClock implements ModeClock, TimerQueue.Cancel {
  static final SystemClock INSTANCE = new SystemClock();
  private static final Logger LOG = LoggerFactory.getLogger(SystemClock.class);

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final TimerQueue queue = new TimerQueue(); // guarded by lock
  private Thread thread; // guarded by lock; started lazily

  private SystemClock() {}

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Instant instant() {
    return Instant.now();
  }

  @Override
  public void parkUntil(long deadlineNanos) {
    long wait = deadlineNanos - System.nanoTime();
    if (wait > 0) LockSupport.parkNanos(this, wait);
  }

  @Override
  public Scheduled schedule(long deadlineNanos, Runnable action) {
    lock.lock();
    try {
      TimerQueue.Entry e = queue.add(deadlineNanos, action, this);
      if (thread == null) {
        thread = Thread.ofPlatform().name("mode-clock").daemon().start(this::loop);
      } else if (queue.peek() == e) {
        changed.signal();
      }
      return e;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean cancel(TimerQueue.Entry e) {
    lock.lock();
    try {
      return queue.remove(e);
    } finally {
      lock.unlock();
    }
  }

  private void loop() {
    for (;;) {
      TimerQueue.Entry due;
      lock.lock();
      try {
        for (;;) {
          TimerQueue.Entry first = queue.peek();
          if (first == null) {
            changed.awaitUninterruptibly();
            continue;
          }
          long wait = first.deadline - System.nanoTime();
          if (wait <= 0) {
            due = queue.poll();
            break;
          }
          changed.awaitNanos(wait);
        }
      } catch (InterruptedException e) {
        continue; // the clock thread is never meant to stop; an interrupt is ignored
      } finally {
        lock.unlock();
      }
      run(due);
    }
  }

  private static void run(TimerQueue.Entry due) {
    try {
      due.action.run();
    } catch (Throwable t) {
      LOG.error("A scheduled action failed; the clock goes on", t);
    }
  }

  @Override
  public String toString() {
    return "ModeClock.system()";
  }

  /** Pending actions, for diagnostics. */
  int pending() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }
}
