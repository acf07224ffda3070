package dev.mode;

import dev.mode.WaitResult.Outcome;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Waits for futures that wake on a stop or crash of a service (Mode's {@code wait}, {@code
 * wait_first}, {@code wait_many}). The waiting thread parks as one of the run's sleepers, so the stop or crash that
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
    return await(s, futures, nanos, Waiting::anyDone);
  }

  static <T> WaitResult<List<T>> all(Service s, List<? extends Future<? extends T>> futures, long nanos) {
    return await(s, futures, nanos, Waiting::allDone);
  }

  // parks until `check` has an answer (a future finished as it needs), a stop or crash, an interrupt
  // or the timeout
  private static <T, R> WaitResult<R> await(
      Service s, List<? extends Future<? extends T>> futures, long nanos, Function<List<? extends Future<? extends T>>, WaitResult<R>> check) {
    Run r = s.life.run;
    Thread me = Thread.currentThread();
    WaitResult<R> done = check.apply(futures);
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
        done = check.apply(futures);
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

  // every future done: all values in order, else the first failed or cancelled one in list order
  private static <T> WaitResult<List<T>> allDone(List<? extends Future<? extends T>> futures) {
    for (Future<? extends T> f : futures) if (!f.isDone()) return null;
    List<T> values = new ArrayList<>(futures.size());
    for (int i = 0; i < futures.size(); i++) {
      Future<? extends T> f = futures.get(i);
      switch (f.state()) {
        case SUCCESS -> values.add(f.resultNow());
        case FAILED -> {
          return WaitResult.failed(unwrap(f.exceptionNow()), i);
        }
        case CANCELLED -> {
          return WaitResult.cancelled(i);
        }
        case RUNNING -> throw new AssertionError("done but running: " + f);
      }
    }
    return WaitResult.completed(Collections.unmodifiableList(values), -1);
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
