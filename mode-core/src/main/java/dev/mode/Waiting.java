package dev.mode;

import dev.mode.WaitResult.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits for futures that wake on a stop or crash of a service (Mode's {@code wait}, {@code
 * wait_first}). The waiting thread parks as one of the run's sleepers, so the stop or crash that
 * wakes {@link Service#sleep} wakes it too; a future wakes it on completion: a {@link
 * CompletableFuture} through a completion action, any other {@link Future} through a small virtual
 * thread blocked in its {@code get()}, interrupted when the wait ends.
 */
final class Waiting {
  private Waiting() {}

  /** A CompletionStage as a Future, without relying on {@code toCompletableFuture()} being supported. */
  static <T> CompletableFuture<T> asFuture(CompletionStage<T> stage) {
    CompletableFuture<T> f = new CompletableFuture<>();
    stage.whenComplete(
        (v, e) -> {
          if (e != null) f.completeExceptionally(e);
          else f.complete(v);
        });
    return f;
  }

  static <T> WaitResult<T> first(Service s, List<? extends Future<? extends T>> futures, long nanos) {
    Run r = s.life.run;
    Thread me = Thread.currentThread();
    WaitResult<T> done = anyDone(futures);
    if (done != null) return done;
    if (r.stopRequested) return WaitResult.ended(Outcome.STOPPED);
    List<Thread> watchers = new ArrayList<>(0);
    r.addSleeper(me);
    try {
      for (Future<? extends T> f : futures) {
        if (f instanceof CompletableFuture<? extends T> cf) {
          cf.whenComplete((v, e) -> LockSupport.unpark(me));
        } else {
          watchers.add(Thread.ofVirtual().name("mode-wait").start(() -> wake(f, me)));
        }
      }
      long deadline = System.nanoTime() + nanos;
      for (;;) {
        done = anyDone(futures);
        if (done != null) return done;
        if (r.stopRequested) return WaitResult.ended(Outcome.STOPPED);
        if (me.isInterrupted()) return WaitResult.ended(Outcome.INTERRUPTED);
        long left = deadline - System.nanoTime();
        if (left <= 0) return WaitResult.ended(Outcome.TIMED_OUT);
        LockSupport.parkNanos(left);
      }
    } finally {
      r.removeSleeper(me);
      for (Thread w : watchers) w.interrupt();
    }
  }

  private static void wake(Future<?> f, Thread waiter) {
    try {
      f.get();
    } catch (InterruptedException e) {
      return; // the wait ended first
    } catch (Exception e) {
      // failed or cancelled: finished all the same
    }
    LockSupport.unpark(waiter);
  }

  private static <T> WaitResult<T> anyDone(List<? extends Future<? extends T>> futures) {
    for (int i = 0; i < futures.size(); i++) {
      Future<? extends T> f = futures.get(i);
      if (!f.isDone()) continue;
      return switch (f.state()) {
        case SUCCESS -> WaitResult.completed(f.resultNow(), i);
        case FAILED -> WaitResult.failed(unwrap(f.exceptionNow()), i);
        case CANCELLED -> WaitResult.cancelled(i);
        case RUNNING -> throw new AssertionError("done but running: " + f);
      };
    }
    return null;
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }
}
