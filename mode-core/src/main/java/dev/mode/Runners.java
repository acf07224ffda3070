package dev.mode;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The virtual threads of the process: tasks get a new one each ({@link #start}), timer and cron runs
 * go to <em>runners</em>, virtual threads kept between runs ({@link #run}).
 *
 * <p>Runs wait in one FIFO queue; a runner takes one, runs it, and takes the next. A runner that
 * takes a run while more wait and no other runner is looking for work wakes one (or starts one when
 * none is idle) before it runs its own: so a body that blocks holds only its runner, and the runs
 * behind it go to another, as with a thread per run. When bodies are short, a few runners take the
 * runs in turn and no thread is started or woken per run; a thread per run cost about 1 KB of garbage
 * (thread, continuation, stack chunk, executor registration) and most of the CPU of an empty run at
 * a hundred thousand timers (docs/performance.md). At most {@link #MAX_IDLE} runners wait idle; one
 * that finds that many waiting ends.
 *
 * <p>A runner leaves nothing of a run behind for the next: the interrupt flag is cleared after each
 * run, each run sets the thread's name, current service and MDC before its body, and an idle runner
 * is reset by {@link Callback#leaveThread}. A stop interrupts a run's
 * thread only while the run holds it (under the service's lock, {@link JobTable#stopJobs}), so an
 * interrupt meant for one run never reaches the next.
 *
 * <p>Every thread comes from one JDK thread-per-task executor, so the JDK's JSON thread dump ({@code
 * jcmd PID Thread.dump_to_file -format=json}) lists them in one container.
 */
final class Runners {
  private static final Logger LOG = LoggerFactory.getLogger(Runners.class);
  static final String IDLE_NAME = "mode-runner";
  private static final int MAX_IDLE = 64;

  // never shut down: when idle it holds only an empty set
  private static final ExecutorService THREADS =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("mode-task").factory());

  // The run queue: segments of SEGMENT runs linked oldest first. Adding takes ADD (in production
  // only the clock thread adds, so it is never contended) and publishes a run by a volatile count;
  // runners claim runs by CAS on a segment's taken count. No node per run, and the adder never
  // writes a line the runners write (a queue of nodes cost the clock thread a third of its time at a
  // million timers, on the shared tail).
  private static final int SEGMENT = 256;
  private static final ReentrantLock ADD = new ReentrantLock();
  private static Segment tail = new Segment(); // guarded by ADD
  private static final AtomicReference<Segment> HEAD = new AtomicReference<>(tail);
  // runners awake and not in a run: woken or started (counted by whoever woke them), or between runs
  private static final AtomicInteger SEARCHING = new AtomicInteger();

  // idle runners: a stack linked through the runners. Pushing is lock-free (a runner going idle never
  // waits); popping takes POP, so that one popper at a time keeps the stack safe from ABA
  private static final AtomicReference<Runner> TOP = new AtomicReference<>();
  private static final AtomicInteger IDLE = new AtomicInteger();
  private static final ReentrantLock POP = new ReentrantLock();

  private Runners() {}

  /** Runs {@code body} on a new virtual thread (a task, which may run for the service's lifetime). */
  static void start(Runnable body) {
    THREADS.execute(body);
  }

  /** Queues {@code run} for a runner, and wakes or starts one if none is looking for work. */
  static void run(Runnable run) {
    ADD.lock();
    try {
      Segment t = tail;
      int n = t.count;
      if (n == SEGMENT) {
        Segment next = new Segment();
        t.next = next;
        tail = t = next;
        n = 0;
      }
      t.runs[n] = run;
      t.count = n + 1; // publishes the run
    } finally {
      ADD.unlock();
    }
    if (SEARCHING.get() == 0) signal();
  }

  /** The oldest queued run, claimed for the caller; null if none waits. */
  private static Runnable poll() {
    for (;;) {
      Segment h = HEAD.get();
      int i = h.taken.get();
      if (i < h.count) {
        if (h.taken.compareAndSet(i, i + 1)) {
          Runnable r = h.runs[i];
          h.runs[i] = null;
          return r;
        }
        continue;
      }
      Segment next = h.next;
      if (i < SEGMENT || next == null) return null; // h is not full yet, or nothing follows it
      HEAD.compareAndSet(h, next); // h is used up: move on (whoever gets there first)
    }
  }

  private static boolean hasRuns() {
    Segment h = HEAD.get();
    return h.taken.get() < h.count || h.next != null;
  }

  // one more runner looks for work: an idle one woken, or a new one
  private static void signal() {
    SEARCHING.incrementAndGet();
    Runner r = pop();
    if (r == null) {
      THREADS.execute(new Runner());
    } else {
      r.woken = true;
      LockSupport.unpark(r.thread);
    }
  }

  private static Runner pop() {
    if (TOP.get() == null) return null;
    POP.lock();
    try {
      for (;;) {
        Runner top = TOP.get();
        if (top == null) return null;
        if (TOP.compareAndSet(top, top.below)) {
          top.below = null;
          IDLE.decrementAndGet();
          return top;
        }
      }
    } finally {
      POP.unlock();
    }
  }

  // false when enough runners wait already
  private static boolean push(Runner r) {
    if (IDLE.incrementAndGet() > MAX_IDLE) {
      IDLE.decrementAndGet();
      return false;
    }
    for (;;) {
      Runner top = TOP.get();
      r.below = top;
      if (TOP.compareAndSet(top, r)) return true;
    }
  }

  private static final class Segment {
    final Runnable[] runs = new Runnable[SEGMENT];
    volatile int count; // runs added
    final AtomicInteger taken = new AtomicInteger(); // runs claimed
    volatile Segment next;
  }

  private static final class Runner implements Runnable {
    private volatile boolean woken; // set by the waker before it unparks this runner
    private volatile Thread thread; // set before the runner first goes idle
    private Runner below; // the next idle runner in the stack; written before the push publishes it

    @Override
    public void run() {
      Thread me = Thread.currentThread();
      thread = me;
      me.setName(IDLE_NAME);
      for (;;) {
        Runnable w = poll();
        if (w == null) {
          SEARCHING.decrementAndGet();
          // a run queued after the poll, by a thread that saw this runner searching, is ours
          if (hasRuns()) {
            SEARCHING.incrementAndGet();
            continue;
          }
          // the next run sets its own name and service; an idle runner shows neither
          Callback.leaveThread(me);
          if (!push(this)) return;
          while (!woken) {
            LockSupport.park(this);
            Thread.interrupted(); // an interrupt of an idle runner (user code kept its Thread) means nothing
          }
          woken = false;
          continue;
        }
        // about to be busy: if runs still wait and nobody else looks, get someone to
        if (SEARCHING.decrementAndGet() == 0 && hasRuns()) signal();
        try {
          w.run();
        } catch (Throwable e) {
          LOG.error("A timer run failed outside its body; the runner goes on", e);
        } finally {
          Thread.interrupted();
          SEARCHING.incrementAndGet();
        }
      }
    }
  }
}
