package dev.mode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * holds no executor: every task and timer thread of every service is started by one shared JDK
 * thread-per-task executor, so the JDK's JSON thread dump ({@code jcmd PID Thread.dump_to_file
 * -format=json}) lists them all in one container, each named {@code <service path>:<job name>}.
 * A per-service executor, opened and closed around each timer run, cost a container registration
 * per run and most of the clock thread's time at a hundred thousand timers (docs/performance.md).
 */
final class Run {
  // never shut down: when idle it holds only an empty set
  private static final ExecutorService THREADS =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("mode-task").factory());

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

  final List<TaskHandle> tasks = new ArrayList<>(0);
  private ArrayDeque<AutoCloseable> closeables;

  // guarded by lock: threads running this run's tasks and timer runs, and threads
  // sleeping in Service.sleep; null until first used
  private Thread[] threads;
  private Thread[] sleepers;

  Run(ReentrantLock serviceLock) {
    this.lock = serviceLock;
  }

  /**
   * Runs {@code body} on a new virtual thread. Returns false, and runs nothing, once jobs are
   * closed (stop's interrupt step has begun). The body registers its thread with {@link #enter},
   * which checks again: a thread started just before the stop closed jobs runs nothing.
   */
  boolean launch(Runnable body) {
    if (jobsClosed) return false;
    THREADS.execute(body);
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
    threads = remove(threads, t);
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
