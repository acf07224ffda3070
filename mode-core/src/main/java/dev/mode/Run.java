package dev.mode;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One run of a service: from a start (or creation) to the end of its stop. A restart replaces the
 * run, so nothing of an old run (its stop flag, its threads, its resources) can leak into the next.
 * Fields without a note are guarded by the owning service's lock.
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
  boolean stopClaimed; // one thread runs the stop steps
  boolean stopDone;
  boolean closeablesClosed;

  final List<TaskHandle> tasks = new ArrayList<>(0);
  private ArrayDeque<AutoCloseable> closeables;
  private volatile ExecutorService executor; // created under the service's lock

  // threads running this run's tasks and timer runs, and threads sleeping in Service.sleep
  private volatile Set<Thread> threads;
  private volatile Set<Thread> sleepers;

  /** The run's executor, created on first use; call with the service's lock held. */
  ExecutorService executor() {
    if (executor == null) {
      executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("mode-task").factory());
    }
    return executor;
  }

  ExecutorService executorOrNull() {
    return executor;
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
    Set<Thread> s = threads;
    if (s == null) s = created(THREADS);
    s.add(t);
    if (jobsClosed) {
      s.remove(t);
      return false;
    }
    return true;
  }

  void exit(Thread t) {
    Set<Thread> s = threads;
    if (s != null) s.remove(t);
  }

  List<Thread> threads() {
    Set<Thread> s = threads;
    return s == null ? List.of() : List.copyOf(s);
  }

  void addSleeper(Thread t) {
    Set<Thread> s = sleepers;
    if (s == null) s = created(SLEEPERS);
    s.add(t);
  }

  // the set behind a lazily created field, created by compare-and-set so racing threads share one
  @SuppressWarnings("unchecked")
  private Set<Thread> created(VarHandle field) {
    Set<Thread> fresh = ConcurrentHashMap.newKeySet();
    Object witness = field.compareAndExchange(this, null, fresh);
    return witness == null ? fresh : (Set<Thread>) witness;
  }

  private static final VarHandle THREADS;
  private static final VarHandle SLEEPERS;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      THREADS = l.findVarHandle(Run.class, "threads", Set.class);
      SLEEPERS = l.findVarHandle(Run.class, "sleepers", Set.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  void removeSleeper(Thread t) {
    Set<Thread> s = sleepers;
    if (s != null) s.remove(t);
  }

  void wakeSleepers() {
    Set<Thread> s = sleepers;
    if (s != null) for (Thread t : s) java.util.concurrent.locks.LockSupport.unpark(t);
  }
}
