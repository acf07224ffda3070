package dev.mode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One run of a service: from a start (or creation) to the end of its stop. A restart replaces the
 * run, so nothing of an old run (its stop flag, its threads, its resources) can leak into the next.
 * Fields without a note are guarded by the owning service's lock.
 *
 * <p>Memory matters here: a program may hold a hundred thousand idle services. So the run keeps its
 * threads and sleepers in small arrays guarded by the service's lock (held briefly, never around a
 * blocking call; a ReentrantLock, so a contending virtual thread never pins its carrier), and it
 * holds no executor: threads come from {@link Runners}.
 */
final class Run {
  /** True from the moment a stop or crash begins; read without the lock. */
  volatile boolean stopRequested;
  /** True once tasks and timers may no longer start (stop's interrupt step began). */
  volatile boolean jobsClosed;

  Thread starter; // the thread running start's steps, or null
  Service startingChild; // the dependency the starter is starting now, or null
  boolean onStartCalled; // onStop and onShutdown run iff onStart was called
  boolean jobsLaunched;
  boolean depsStarting; // the start has begun starting dependencies: a new one starts at once
  Thread stopOwner; // the one thread running the stop steps (another takes over if it overruns)
  boolean stopDone;
  boolean closeablesClosed;
  byte stopStep; // the next stop step (Stopping), so a thread taking over a stop resumes there
  int stopChild; // dependencies (of stopKids) still to stop, last first
  Service[] stopKids; // the dependencies when the stop reached them
  long stopBegan; // System.nanoTime() at "Stopping..."

  private final ReentrantLock lock; // the owning service's lock
  private final Condition exited; // signalled when a thread leaves a run whose jobs are closed

  final List<TaskHandle> tasks = new ArrayList<>(0);
  private ArrayDeque<AutoCloseable> closeables;

  // guarded by lock: threads running this run's tasks and timer runs, and threads
  // sleeping in Service.sleep; null until first used
  private Thread[] threads;
  private Thread[] sleepers;

  Run(ReentrantLock serviceLock, Condition exited) {
    this.lock = serviceLock;
    this.exited = exited;
  }

  /**
   * Runs task {@code body} on a new virtual thread. Returns false, and runs nothing, once jobs are
   * closed (stop's interrupt step has begun). The body registers its thread with {@link #enter},
   * which checks again: a thread started just before the stop closed jobs runs nothing.
   */
  boolean launch(Runnable body) {
    if (jobsClosed) return false;
    Runners.start(body);
    return true;
  }

  void addCloseable(AutoCloseable c) {
    if (closeables == null) closeables = new ArrayDeque<>(2);
    closeables.push(c);
  }

  /** The next closeable to close (LIFO), or null; no more may be added from now on. */
  AutoCloseable pollCloseable() {
    closeablesClosed = true;
    return closeables == null ? null : closeables.poll();
  }

  /** The closeables in close order (LIFO), and none are left. */
  List<AutoCloseable> drainCloseables() {
    closeablesClosed = true;
    if (closeables == null) return List.of();
    List<AutoCloseable> out = new ArrayList<>(closeables);
    closeables.clear();
    return out;
  }

  /** Registers t as running this run's code; false if jobs are closed (then t must not run). */
  boolean enter(Thread t) {
    lock.lock();
    try {
      if (jobsClosed) return false;
      threads = add(threads, t);
      return true;
    } finally {
      lock.unlock();
    }
  }

  void exit(Thread t) {
    lock.lock();
    try {
      exitLocked(t);
    } finally {
      lock.unlock();
    }
  }

  /** {@link #exit} for a caller that holds the service's lock. */
  void exitLocked(Thread t) {
    threads = remove(threads, t, true);
    if (jobsClosed) exited.signalAll(); // a stop waits for the run's threads to leave
  }

  /**
   * Interrupts every thread in this run but {@code a} and {@code b}, and returns how many there are.
   * Caller holds the lock: a thread is interrupted only while it runs this run's code, so the
   * interrupt cannot reach the next run of a pooled runner.
   */
  int interruptOthersLocked(Thread a, Thread b) {
    return others(a, b, true);
  }

  /** Threads in this run but {@code a} and {@code b}; caller holds the lock. */
  int othersLocked(Thread a, Thread b) {
    return others(a, b, false);
  }

  private int others(Thread a, Thread b, boolean interrupt) {
    if (threads == null) return 0;
    int n = 0;
    for (Thread t : threads) {
      if (t == null) break;
      if (t == a || t == b) continue;
      if (interrupt) t.interrupt();
      n++;
    }
    return n;
  }

  /**
   * Waits, holding the lock on entry and return, until no thread but {@code a} and {@code b} is in
   * this run, or {@code nanos} pass ({@code Long.MAX_VALUE}: no bound). True if they all left.
   */
  boolean awaitOthersLocked(Thread a, Thread b, long nanos) throws InterruptedException {
    while (othersLocked(a, b) > 0) {
      if (nanos <= 0) return false;
      if (nanos == Long.MAX_VALUE) exited.await();
      else nanos = exited.awaitNanos(nanos);
    }
    return true;
  }

  List<Thread> threads() {
    lock.lock();
    try {
      return threadsLocked();
    } finally {
      lock.unlock();
    }
  }

  /** {@link #threads()} for a caller that holds the lock. */
  List<Thread> threadsLocked() {
    return snapshot(threads);
  }

  void addSleeper(Thread t) {
    lock.lock();
    try {
      sleepers = add(sleepers, t);
    } finally {
      lock.unlock();
    }
  }

  void removeSleeper(Thread t) {
    lock.lock();
    try {
      sleepers = remove(sleepers, t, false);
    } finally {
      lock.unlock();
    }
  }

  void wakeSleepers() {
    Thread[] ts;
    lock.lock();
    try {
      if (sleepers == null) return; // the usual case: nothing to copy
      ts = Arrays.copyOf(sleepers, count(sleepers));
    } finally {
      lock.unlock();
    }
    for (Thread t : ts) LockSupport.unpark(t);
  }

  // arrays end at the first null and grow by doubling. The sleepers' array is dropped when empty; the
  // threads' array is kept for the run's life: a timer's run enters and leaves it a million times a
  // second at a million timers, and a new array each time is 16 bytes of garbage written into the
  // (old) run
  private static Thread[] add(Thread[] a, Thread t) {
    if (a == null) a = new Thread[1];
    int n = count(a);
    if (n == a.length) a = Arrays.copyOf(a, n * 2);
    a[n] = t;
    return a;
  }

  private static Thread[] remove(Thread[] a, Thread t, boolean keep) {
    if (a == null) return null;
    int n = count(a);
    for (int i = 0; i < n; i++) {
      if (a[i] == t) {
        a[i] = a[n - 1];
        a[n - 1] = null;
        return n == 1 && !keep ? null : a;
      }
    }
    return a;
  }

  private static int count(Thread[] a) {
    int n = 0;
    while (n < a.length && a[n] != null) n++;
    return n;
  }

  private static List<Thread> snapshot(Thread[] a) {
    if (a == null) return List.of();
    return List.of(Arrays.copyOf(a, count(a)));
  }
}
