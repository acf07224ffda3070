package dev.mode;

import java.util.concurrent.FutureTask;

/**
 * A task of one run: the {@link java.util.concurrent.Future} that {@link Service#addTask} returns.
 * Cancelling it interrupts the task and is not a crash.
 */
final class TaskHandle extends FutureTask<Void> {
  final Service service;
  final Run run;
  final String name;
  volatile Thread runner;
  boolean launched; // guarded by the service's lock

  TaskHandle(Service service, Run run, String name, ThrowingRunnable body) {
    super(() -> {
      body.run();
      return null;
    });
    this.service = service;
    this.run = run;
    this.name = name;
  }

  @Override
  public void run() {
    Thread t = Thread.currentThread();
    if (!run.enter(t)) {
      cancel(false);
      return;
    }
    runner = t;
    Callback.enterThread(service, t, name);
    try {
      super.run();
    } finally {
      runner = null;
      run.exit(t);
    }
  }

  @Override
  protected void setException(Throwable t) {
    if (!isCancelled()) service.life.jobFailed(run, name, "Task", t, false);
    super.setException(t);
  }

  @Override
  public String toString() {
    return "Task " + name + " of " + service.path();
  }
}
