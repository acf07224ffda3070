package dev.mode;

import java.util.concurrent.CountDownLatch;

/** Tiny fixture services named for their behaviour. */
final class Fixtures {
  private Fixtures() {}

  static class NoOpService extends Service {
    private final String name;

    NoOpService(String name) {
      this.name = name;
    }

    NoOpService() {
      this(null);
    }

    @Override
    public String label() {
      return name != null ? name : super.label();
    }
  }

  static final class FailStartService extends TracingService {
    final RuntimeException failure = new IllegalStateException("boom in onStart");

    FailStartService(String name, Trace trace) {
      super(name, trace);
    }

    @Override
    protected void onStart() throws Exception {
      super.onStart();
      throw failure;
    }
  }

  /** Runs a task that blocks until interrupted, and counts down {@code running} when it runs. */
  static class BlockingTaskService extends NoOpService {
    final CountDownLatch running = new CountDownLatch(1);
    volatile boolean interrupted;

    BlockingTaskService(String name) {
      super(name);
    }

    @Task
    void block() {
      running.countDown();
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
  }

  /** A task that swallows every interrupt and keeps running until released. */
  static final class StubbornTaskService extends NoOpService {
    final CountDownLatch running = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    StubbornTaskService(String name) {
      super(name);
    }

    @Task
    void ignoreInterrupts() {
      running.countDown();
      while (release.getCount() > 0) {
        try {
          release.await();
        } catch (InterruptedException ignored) {
          // deliberately ignores cancellation
        }
      }
    }
  }
}
