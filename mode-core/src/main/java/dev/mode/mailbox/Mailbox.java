package dev.mode.mailbox;

import dev.mode.Service;
import dev.mode.Task;
import dev.mode.ThrowingRunnable;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An actor-style mailbox (Mode's {@code MethodQueue}): a service that processes messages, one at a
 * time and in arrival order, on its own virtual thread, so the state they touch needs no lock.
 *
 * <pre>{@code
 * class Counter extends Mailbox {
 *   private long count; // touched only by messages
 *   Counter() { super(1000); }
 *   void increment() { cast(() -> count++); }
 *   long count() throws Exception { return call(() -> count); }
 * }
 * }</pre>
 *
 * <h2>Capacity and back-pressure</h2>
 *
 * <p>At most {@link #capacity()} messages wait. When the mailbox is full, {@link #cast} and {@link
 * #call} block the sender until there is room (back-pressure); {@link #tryCast} returns false at once
 * instead, and {@link #offer} waits at most a timeout. Senders blocked on a full mailbox are released
 * with {@link IllegalStateException} when it stops.
 *
 * <h2>Lifecycle</h2>
 *
 * <p>Messages are accepted from construction (they wait for the start) until the mailbox begins to
 * stop. Its stop <b>drains</b>: {@code onStop} closes the mailbox to new messages (they get {@link
 * IllegalStateException} naming it and its state) and waits, up to the stop timeout, for the
 * messages already queued to be processed. A message that throws: a {@code call} gets the exception;
 * a {@code cast}'s is logged at ERROR and processing goes on.
 *
 * <p>Messages run on a task named {@code processMessages} (a subclass must not declare a {@code @Task}
 * of that name). Thread-safe: send from any thread. A message that sends to its own mailbox with {@code call}
 * would wait for itself; it throws {@link IllegalStateException} instead ({@code cast} is fine
 * unless the mailbox is full).
 */
public class Mailbox extends Service {
  /** The capacity of {@link #Mailbox()}. */
  public static final int DEFAULT_CAPACITY = 1024;

  private final int capacity;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  private final Condition drained = lock.newCondition();
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>(); // guarded by lock
  private boolean closed; // guarded by lock
  private boolean busy; // guarded by lock: a message is being processed
  private volatile Thread processor;

  /** A mailbox for {@value #DEFAULT_CAPACITY} waiting messages. */
  public Mailbox() {
    this(DEFAULT_CAPACITY);
  }

  /**
   * A mailbox for at most {@code capacity} waiting messages.
   *
   * @throws IllegalArgumentException if {@code capacity} is not positive
   */
  public Mailbox(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("Mailbox capacity must be positive, got " + capacity);
    }
    this.capacity = capacity;
  }

  /** How many messages may wait. */
  public final int capacity() {
    return capacity;
  }

  /** How many messages wait now (not counting the one being processed). */
  public final int size() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Queues {@code message}, blocking while the mailbox is full, and returns without waiting for it
   * to run.
   *
   * @throws IllegalStateException if the mailbox is stopping or stopped (also if it stops while the
   *     sender waits for room)
   * @throws InterruptedException if interrupted while waiting for room
   */
  public final void cast(ThrowingRunnable message) throws InterruptedException {
    enqueue(wrapCast(message), -1);
  }

  /**
   * Queues {@code message} if there is room now.
   *
   * @return false if the mailbox is full
   * @throws IllegalStateException if the mailbox is stopping or stopped
   */
  public final boolean tryCast(ThrowingRunnable message) {
    try {
      return enqueue(wrapCast(message), 0);
    } catch (InterruptedException e) {
      throw new AssertionError("a non-waiting enqueue cannot be interrupted", e);
    }
  }

  /**
   * Queues {@code message}, waiting at most {@code timeout} for room.
   *
   * @return false if there was no room within the timeout
   * @throws IllegalStateException if the mailbox is stopping or stopped
   * @throws InterruptedException if interrupted while waiting
   */
  public final boolean offer(ThrowingRunnable message, Duration timeout) throws InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    return enqueue(wrapCast(message), Math.max(0, timeout.toNanos()));
  }

  /**
   * Queues {@code message} (blocking while full) and returns a future of its result.
   *
   * @throws IllegalStateException if the mailbox is stopping or stopped
   * @throws InterruptedException if interrupted while waiting for room
   */
  public final <T> CompletableFuture<T> submit(Callable<T> message) throws InterruptedException {
    Objects.requireNonNull(message, "message");
    CompletableFuture<T> result = new CompletableFuture<>();
    enqueue(
        () -> {
          try {
            result.complete(message.call());
          } catch (Throwable t) {
            result.completeExceptionally(t);
          }
        },
        -1);
    return result;
  }

  /**
   * Queues {@code message} (blocking while full), waits for it to be processed and returns its
   * result, or throws what it threw.
   *
   * @throws IllegalStateException if the mailbox is stopping or stopped, or if called from a message
   *     of this mailbox
   * @throws InterruptedException if interrupted while waiting
   */
  public final <T> T call(Callable<T> message) throws Exception {
    if (Thread.currentThread() == processor) {
      throw new IllegalStateException(
          "A message of " + path() + " cannot call its own mailbox: it would wait for itself (use cast)");
    }
    return Calls.await(submit(message));
  }

  private Runnable wrapCast(ThrowingRunnable message) {
    Objects.requireNonNull(message, "message");
    return () -> {
      try {
        message.run();
      } catch (Throwable t) {
        log.error("A message cast to {} failed; processing goes on", path(), t);
      }
    };
  }

  // waitNanos: -1 forever, 0 not at all, else at most that long; false if still full
  private boolean enqueue(Runnable r, long waitNanos) throws InterruptedException {
    lock.lock();
    try {
      long left = waitNanos;
      for (;;) {
        if (closed || shouldStop()) {
          throw new IllegalStateException(
              "Cannot send to " + path() + ": it is " + state() + " and accepts no more messages");
        }
        if (queue.size() < capacity) break;
        if (waitNanos == 0) return false;
        if (waitNanos < 0) {
          notFull.await();
        } else {
          if (left <= 0) return false;
          left = notFull.awaitNanos(left);
        }
      }
      queue.addLast(r);
      notEmpty.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Task
  private void processMessages() throws InterruptedException {
    processor = Thread.currentThread();
    try {
      for (;;) {
        Runnable next;
        lock.lock();
        try {
          while (queue.isEmpty()) {
            if (closed) {
              drained.signalAll();
              return;
            }
            notEmpty.await();
          }
          next = queue.pollFirst();
          busy = true;
          notFull.signal();
        } finally {
          lock.unlock();
        }
        try {
          next.run();
        } finally {
          lock.lock();
          try {
            busy = false;
            if (queue.isEmpty()) drained.signalAll();
          } finally {
            lock.unlock();
          }
        }
      }
    } finally {
      processor = null;
    }
  }

  /**
   * Closes the mailbox to new messages and waits (up to the stop timeout) until the queued ones are
   * processed. Subclasses that override it must call {@code super.onStop()}.
   */
  @Override
  protected void onStop() throws Exception {
    long left = stopTimeout().toNanos();
    lock.lock();
    try {
      closed = true;
      notFull.signalAll(); // blocked senders: fail now
      notEmpty.signalAll();
      while ((busy || !queue.isEmpty()) && processor != null && processor != Thread.currentThread()) {
        if (left <= 0) {
          log.warn("{} messages were still queued after the stop timeout; they are dropped", queue.size());
          queue.clear();
          break;
        }
        left = drained.awaitNanos(left);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Reopens the mailbox for the next run. Subclasses that override it must call {@code super.onRestart()}. */
  @Override
  protected void onRestart() throws Exception {
    lock.lock();
    try {
      closed = false;
    } finally {
      lock.unlock();
    }
  }
}
