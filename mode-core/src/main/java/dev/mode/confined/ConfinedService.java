package dev.mode.confined;

import dev.mode.Service;
import dev.mode.ThrowingRunnable;
import dev.mode.mailbox.Calls;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.MDC;

/**
 * A service whose code runs on one dedicated platform thread: for libraries that must always be
 * called from the same thread (GUI toolkits, some native and database drivers). Mode calls this a
 * {@code ServiceThread}.
 *
 * <pre>{@code
 * class Printer extends ConfinedService {
 *   private NativePrinter printer;
 *
 *   @Override protected void onConfinedStart() { printer = NativePrinter.open(); }
 *   @Override protected void onConfinedShutdown() { printer.close(); }
 *
 *   int pagesLeft() throws Exception { return call(() -> printer.pagesLeft()); }
 *   void print(String text) { cast(() -> printer.print(text)); }
 * }
 * }</pre>
 *
 * <h2>What runs where</h2>
 *
 * <ul>
 *   <li>On the service's thread (named {@code path:confined}, one per run: created when the service
 *       starts or restarts, ended at the end of its stop): the confined callbacks {@link
 *       #onConfinedFirstStart}, {@link #onConfinedStart}, {@link #onConfinedStarted}, {@link
 *       #onConfinedStop}, {@link #onConfinedShutdown} and {@link #onConfinedRestart}; every {@link
 *       #call} and {@link #cast} body; the bodies of {@link #addConfinedTimer confined timers} and
 *       {@link #addConfinedTask confined tasks}. They run one at a time, in submission order.
 *   <li>Elsewhere, as for any service: {@code onInitDependencies} (on the starting thread);
 *       dependencies' callbacks; and plain {@code addTask}, {@code @Task}, {@code @Timer} and {@code
 *       @Crontab} (on virtual threads). The usual callbacks ({@code onStart}, ...) are taken by this
 *       class to hand the work to the thread, and are final.
 * </ul>
 *
 * <h2>Submitting work</h2>
 *
 * <p>{@link #call} and {@link #cast} are safe from any thread. Called on the service's own thread
 * they run the body at once (no deadlock). Work is accepted from the moment the service starts
 * until the end of its stop: the stop <b>drains</b> the queue, so work submitted before the stop
 * ends (from {@code onConfinedStop} too) runs before {@code onConfinedShutdown}. After that, and
 * before the first start, {@code call} and {@code cast} throw {@link IllegalStateException}. A {@code
 * cast} body that throws is logged and the thread goes on; a {@code call} body's exception is
 * rethrown to the caller.
 */
public abstract class ConfinedService extends Service {
  private final ReentrantLock lock = new ReentrantLock();
  private ConfinedThread confinedThread; // guarded by lock: the thread of the current run, or null
  private boolean firstStartDone; // onConfinedFirstStart ran (confined thread only)
  // confined task bodies queued or running: cancelled (interrupted) first thing at stop
  private final Set<FutureTask<?>> confinedTasks = ConcurrentHashMap.newKeySet();

  /** Called on the service's thread at the first start only, before {@link #onConfinedStart}. */
  protected void onConfinedFirstStart() throws Exception {}

  /** Called on the service's thread at every start, before tasks, timers and dependencies start. */
  protected void onConfinedStart() throws Exception {}

  /** Called on the service's thread at every start once the dependencies run. */
  protected void onConfinedStarted() throws Exception {}

  /** Called on the service's thread as the first stop step. */
  protected void onConfinedStop() throws Exception {}

  /**
   * Called on the service's thread as the last stop step, after dependencies, tasks, timers and the
   * work queued before it; the thread ends after it returns.
   */
  protected void onConfinedShutdown() throws Exception {}

  /** Called on the service's (new) thread by {@code restart()}, before the new start. */
  protected void onConfinedRestart() throws Exception {}

  @Override
  protected final void onStart() throws Exception {
    openThread();
    call(() -> {
      if (!firstStartDone) {
        firstStartDone = true;
        onConfinedFirstStart();
      }
      onConfinedStart();
      return null;
    });
  }

  @Override
  protected final void onStarted() throws Exception {
    try {
      run(this::onConfinedStarted);
    } finally {
      currentConfinedThread().running.countDown();
    }
  }

  @Override
  protected final void onStop() throws Exception {
    ConfinedThread w = currentConfinedThread();
    if (w != null) w.running.countDown();
    // confined tasks hold the thread; they would be interrupted later in the stop anyway, but the
    // stop callbacks need the thread now
    for (FutureTask<?> t : confinedTasks) t.cancel(true);
    run(this::onConfinedStop);
  }

  @Override
  protected final void onShutdown() throws Exception {
    try {
      run(this::onConfinedShutdown);
    } finally {
      closeThread();
    }
  }

  @Override
  protected final void onRestart() throws Exception {
    openThread();
    try {
      run(this::onConfinedRestart);
    } catch (Exception | Error e) {
      closeThread(); // the failed restart runs no stop step that would end the thread
      throw e;
    }
  }

  /**
   * Runs {@code body} on the service's thread and returns its result, or throws what it threw.
   * From the service's own thread, runs it at once. If the calling thread is interrupted while it
   * waits, the body is cancelled (interrupting the service's thread if it already runs it) and
   * {@link InterruptedException} is thrown.
   *
   * @throws IllegalStateException if the service is not started or its stop has ended
   */
  public final <T> T call(Callable<T> body) throws Exception {
    return call(body, false);
  }

  private <T> T call(Callable<T> body, boolean confinedTask) throws Exception {
    Objects.requireNonNull(body, "body");
    ConfinedThread w = acceptingThread("call");
    if (Thread.currentThread() == w.thread) return body.call();
    FutureTask<T> task = new FutureTask<>(body);
    if (confinedTask) confinedTasks.add(task);
    try {
      w.submit(task, this);
      return Calls.await(task);
    } catch (InterruptedException e) {
      task.cancel(true);
      throw e;
    } catch (CancellationException e) {
      if (confinedTask) throw new InterruptedException("confined task cancelled by the stop of " + path());
      throw new IllegalStateException(path() + " stopped before it ran the call", e);
    } finally {
      if (confinedTask) confinedTasks.remove(task);
    }
  }

  /**
   * Queues {@code body} to run on the service's thread and returns at once (from the service's own
   * thread too: it runs after the work already queued). A body that throws is logged at ERROR.
   *
   * @throws IllegalStateException if the service is not started or its stop has ended
   */
  public final void cast(ThrowingRunnable body) {
    Objects.requireNonNull(body, "body");
    ConfinedThread w = acceptingThread("cast");
    w.submit(
        () -> {
          try {
            body.run();
          } catch (Throwable t) {
            log.error("A cast on {} failed; the thread goes on", path(), t);
          }
        },
        this);
  }

  /**
   * Adds a timer (as {@link #addTimer(String, Duration, ThrowingRunnable)}) whose body runs on the
   * service's thread: the timer's schedule, overlap and drift handling stay the core's; an exception
   * from the body crashes the service as a timer's does.
   */
  public final void addConfinedTimer(String name, Duration interval, ThrowingRunnable body) {
    Objects.requireNonNull(body, "body");
    addTimer(name, interval, () -> run(body));
  }

  /**
   * Adds a task (as {@link #addTask}) whose body runs on the service's thread once the service is
   * RUNNING (after {@link #onConfinedStarted}). While it runs it holds the thread: calls and casts
   * wait for it, so keep confined tasks short, or loop with {@link #cast} instead. A stop first
   * cancels the confined tasks (interrupting the thread if it runs one), then runs {@link
   * #onConfinedStop}.
   */
  public final Future<?> addConfinedTask(String name, ThrowingRunnable body) {
    Objects.requireNonNull(body, "body");
    return addTask(name, () -> {
      ConfinedThread w = currentConfinedThread();
      if (w == null) return;
      w.running.await();
      if (shouldStop()) return;
      call(() -> {
        body.run();
        return null;
      }, true);
    });
  }

  /** True if the calling thread is this service's thread. */
  public final boolean onConfinedThread() {
    lock.lock();
    try {
      return confinedThread != null && confinedThread.thread == Thread.currentThread();
    } finally {
      lock.unlock();
    }
  }

  private void run(ThrowingRunnable body) throws Exception {
    call(() -> {
      body.run();
      return null;
    });
  }

  private ConfinedThread currentConfinedThread() {
    lock.lock();
    try {
      return confinedThread;
    } finally {
      lock.unlock();
    }
  }

  private ConfinedThread acceptingThread(String what) {
    lock.lock();
    try {
      ConfinedThread w = confinedThread;
      if (w == null || w.closed) {
        throw new IllegalStateException(
            "Cannot " + what + " on " + path() + ": it is " + state()
                + (w == null ? " (its thread runs from start to the end of stop)" : " and its thread has ended"));
      }
      return w;
    } finally {
      lock.unlock();
    }
  }

  private void openThread() {
    lock.lock();
    try {
      if (confinedThread != null && !confinedThread.closed) return;
      confinedThread = new ConfinedThread(path() + ":confined", this);
    } finally {
      lock.unlock();
    }
  }

  // stops accepting work, lets the thread drain the queue and end; waits for it (bounded by the
  // stop timeout) unless called on the thread itself
  private void closeThread() throws InterruptedException {
    ConfinedThread w;
    lock.lock();
    try {
      w = confinedThread;
      if (w == null || w.closed) return;
      w.closed = true;
      w.queue.add(ConfinedThread.END);
    } finally {
      lock.unlock();
    }
    if (Thread.currentThread() == w.thread) return;
    if (!w.thread.join(stopTimeout())) {
      log.warn("The confined thread {} did not end within the stop timeout ({}); going on without it",
          w.thread.getName(), stopTimeout());
    }
  }

  /** The dedicated thread of one run and its queue. */
  private static final class ConfinedThread implements Runnable {
    static final Runnable END = () -> {};
    final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    // opened once the run is RUNNING (or stopping): confined tasks wait for it
    final CountDownLatch running = new CountDownLatch(1);
    final Thread thread;
    final ConfinedService owner;
    boolean closed; // guarded by owner.lock

    ConfinedThread(String name, ConfinedService owner) {
      this.owner = owner;
      this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this);
      thread.start();
    }

    void submit(Runnable r, ConfinedService s) {
      s.lock.lock();
      try {
        if (closed) {
          throw new IllegalStateException("Cannot submit to " + s.path() + ": its thread has ended");
        }
        queue.add(r);
      } finally {
        s.lock.unlock();
      }
    }

    @Override
    public void run() {
      MDC.put(Service.MDC_KEY, owner.path());
      for (;;) {
        Runnable r;
        try {
          r = queue.take();
        } catch (InterruptedException e) {
          continue; // only a cancelled call interrupts us; keep serving
        }
        if (r == END) return;
        Thread.interrupted(); // a cancel aimed at earlier work must not hit this one
        r.run();
      }
    }
  }
}
