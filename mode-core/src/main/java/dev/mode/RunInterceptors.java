package dev.mode;

import dev.mode.time.ModeClock;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** The installed {@link RunInterceptor}s: a copy-on-write array, read once per run. */
final class RunInterceptors {
  private static final RunInterceptor[] NONE = new RunInterceptor[0];
  private static final AtomicReference<RunInterceptor[]> CHAIN = new AtomicReference<>(NONE);

  private RunInterceptors() {}

  static RunInterceptor.Registration install(RunInterceptor interceptor) {
    CHAIN.updateAndGet(
        old -> {
          RunInterceptor[] next = Arrays.copyOf(old, old.length + 1);
          next[old.length] = interceptor;
          return next;
        });
    return () -> CHAIN.updateAndGet(old -> without(old, interceptor));
  }

  private static RunInterceptor[] without(RunInterceptor[] old, RunInterceptor interceptor) {
    for (int i = 0; i < old.length; i++) {
      if (old[i] == interceptor) {
        RunInterceptor[] next = new RunInterceptor[old.length - 1];
        System.arraycopy(old, 0, next, 0, i);
        System.arraycopy(old, i + 1, next, i, old.length - i - 1);
        return next;
      }
    }
    return old;
  }

  /** Runs {@code body} through every installed interceptor (none: directly, allocating nothing). */
  static void run(Job job, ModeClock clock, long slot, ThrowingRunnable body) throws Exception {
    RunInterceptor[] chain = CHAIN.get();
    if (chain.length == 0) {
      body.run();
      return;
    }
    JobSpec spec = job.spec;
    RunInterceptor.JobRun run =
        new RunInterceptor.JobRun(
            job.service, spec.name, spec.kind.word, job.fireTime(clock, slot), Optional.ofNullable(spec.method));
    nest(chain, 0, run, body);
  }

  private static void nest(RunInterceptor[] chain, int i, RunInterceptor.JobRun run, ThrowingRunnable body)
      throws Exception {
    if (i == chain.length) {
      body.run();
      return;
    }
    boolean[] ran = new boolean[1];
    chain[i].around(
        run,
        () -> {
          if (ran[0]) throw new IllegalStateException("RunInterceptor " + chain[i] + " ran the body of " + run.name() + " twice");
          ran[0] = true;
          nest(chain, i + 1, run, body);
        });
  }
}
