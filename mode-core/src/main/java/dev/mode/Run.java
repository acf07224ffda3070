package dev.mode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
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
 * holds a JDK thread-per-task executor only while one of its threads is alive: every live task or
 * timer thread of a service is in that service's own thread container (thread dumps group them),
 * and an idle service holds no executor at all.
 */
final class Run {
  private static final ThreadFactory VIRTUAL = Thread.ofVirtual().name("mode-task").factory();

  /** True from the moment a stop or crash begins; read without the lock. */
  volatile boolean stopRequested;
  /** True once tasks and timers may no longer start (stop's interrupt step began). */
  volatile boolean jobsClosed;

  Thread starter; // the thread running start's steps, or null
  Service startingChild; // the dependency the starter is starting now, or null
  boolean onStartCalled; // onStop and onShutdown run iff onStart was called
  boolean jobsLaunched;
  boolean stopClaimed; // one thread runs the stop steps
  boolean stopDone;
  boolean closeablesClosed;

  private final ReentrantLock lock; // the owning service's lock

  final List<TaskHandle> tasks = new ArrayList<>(0);
  private ArrayDeque<AutoCloseable> closeables;
  // a JDK thread-per-task executor, open only while this run has live threads, so a thread dump
  // groups each service's threads and an idle service holds none; guarded by lock
  private ExecutorService pool;
  private int active; // guarded by lock: threads launched and not yet finished

  // guarded by lock: threads running this run's tasks and timer runs, and threads
  // sleeping in Service.sleep; null until first used
  private Thread[] threads;
  private Thread[] sleepers;

  Run(ReentrantLock serviceLock) {
    this.lock = serviceLock;
  }

  /**
   * Runs {@code body} on a new virtual thread of this run, in the service's own thread container.
   * Returns false, and runs nothing, once jobs are closed (stop's interrupt step has begun).
   */
  boolean launch(Runnable body) {
    ExecutorService p;
    lock.lock();
    try {
      if (jobsClosed) return false;
      if (pool == null) pool = Executors.newThreadPerTaskExecutor(VIRTUAL);
      p = pool;
      active++;
    } finally {
      lock.unlock();
    }
    try {
      p.execute(
          () -> {
            try {
              body.run();
            } finally {
              finished();
            }
          });
    } catch (RuntimeException | Error e) {
      finished();
      throw e;
    }
    return true;
  }

  // the last live thread closes the pool (it terminates once that thread has returned)
  private void finished() {
    ExecutorService idle = null;
    lock.lock();
    try {
      if (--active == 0) {
        idle = pool;
        pool = null;
      }
    } finally {
      lock.unlock();
    }
    if (idle != null) idle.shutdown();
  }

  void addCloseable(AutoCloseable c) {
    if (closeables == null) closeables = new ArrayDeque<>(2);
    closeables.push(c);
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
      threads = remove(threads, t);
    } finally {
      lock.unlock();
    }
  }

  List<Thread> threads() {
    lock.lock();
    try {
      return snapshot(threads);
    } finally {
      lock.unlock();
    }
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
      sleepers = remove(sleepers, t);
    } finally {
      lock.unlock();
    }
  }

  void wakeSleepers() {
    List<Thread> ts;
    lock.lock();
    try {
      ts = snapshot(sleepers);
    } finally {
      lock.unlock();
    }
    for (Thread t : ts) LockSupport.unpark(t);
  }

  // arrays end at the first null; they grow by doubling and are dropped when empty
  private static Thread[] add(Thread[] a, Thread t) {
    if (a == null) a = new Thread[1];
    int n = count(a);
    if (n == a.length) a = Arrays.copyOf(a, n * 2);
    a[n] = t;
    return a;
  }

  private static Thread[] remove(Thread[] a, Thread t) {
    if (a == null) return null;
    int n = count(a);
    for (int i = 0; i < n; i++) {
      if (a[i] == t) {
        a[i] = a[n - 1];
        a[n - 1] = null;
        return n == 1 ? null : a;
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
