package dev.mode.examples.supervisor;

import dev.mode.Service;
import dev.mode.State;
import dev.mode.Task;
import dev.mode.supervisor.Backoff;
import dev.mode.supervisor.MaxRestartsExceeded;
import dev.mode.supervisor.OneForOneSupervisor;
import dev.mode.supervisor.RestForOneSupervisor;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** The example of docs/supervisors.md: a one-for-one supervisor restarts a flaky fetcher. */
public final class SupervisorExample {
  private SupervisorExample() {}

  /** Fails on its first two runs, then works. */
  static final class Fetcher extends Service {
    private final AtomicInteger runs = new AtomicInteger(); // the same object across restarts

    @Task
    void fetch() throws Exception {
      int run = runs.incrementAndGet();
      sleep(Duration.ofMillis(50));
      if (run <= 2) throw new IllegalStateException("upstream refused connection (run " + run + ")");
      while (!shouldStop()) sleep(Duration.ofSeconds(1));
    }
  }

  static final class Indexer extends Service {}

  /** Services added in the constructor are supervised from the first start. */
  static final class App extends OneForOneSupervisor {
    final Fetcher fetcher = new Fetcher();
    final Indexer indexer = new Indexer();

    App() {
      super(5, Duration.ofSeconds(30)); // give up after a 6th restart within 30 s
      setBackoff(Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(5)));
      add(fetcher, indexer);
    }
  }

  public static void main(String[] args) throws Exception {
    App app = new App();
    app.start();
    while (app.restartsOf(app.fetcher) < 2 || app.fetcher.state() != State.RUNNING) Thread.sleep(20);
    System.out.println("fetcher restarted " + app.restartsOf(app.fetcher) + " times, last crash: "
        + app.lastCrashOf(app.fetcher).orElseThrow().getMessage());
    app.stop();

    // Nested supervisors escalate: an inner supervisor that gives up crashes with
    // MaxRestartsExceeded, and its own supervisor restarts it.
    RestForOneSupervisor inner = new RestForOneSupervisor(0, Duration.ofSeconds(5));
    Service db = new Service() {};
    inner.add(db, new Service() {});
    OneForOneSupervisor outer = new OneForOneSupervisor();
    outer.add(inner);
    outer.start();
    db.crash(new IllegalStateException("connection lost"));
    while (inner.restartCount() < 1 || inner.state() != State.RUNNING) Thread.sleep(20);
    Throwable why = outer.lastCrashOf(inner).orElseThrow();
    System.out.println("inner supervisor restarted by outer after: "
        + (why instanceof MaxRestartsExceeded ? why.getMessage() : why));
    outer.stop();
  }
}
