package dev.mode.admin;

import dev.mode.Service;
import dev.mode.Task;
import dev.mode.Timer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** Small services for the admin's tests, named for what they do. */
final class Fixtures {
  static final String TOKEN = "test-token-0123456789abcdef";

  private Fixtures() {}

  /** App[Cache, Fetcher]: a root with a timer service and a task service. */
  static final class App extends Service {
    final Cache cache = addDependency(new Cache());
    final Fetcher fetcher = addDependency(new Fetcher());
  }

  /** Runs a fast timer, so its counters move. */
  static final class Cache extends Service {
    @Timer("20ms")
    void expire() {}
  }

  /** Runs one task for its whole life. */
  static final class Fetcher extends Service {
    @Task
    void fetch() {
      while (!shouldStop()) sleep(Duration.ofSeconds(1));
    }
  }

  /** A service that does nothing. */
  static final class NoOpService extends Service {
    private final String name;

    NoOpService(String name) {
      this.name = name;
    }

    @Override
    public String label() {
      return name;
    }
  }

  /** Starts once; every restart fails in onRestart. */
  static final class FailRestartService extends Service {
    @Override
    protected void onRestart() {
      throw new IllegalStateException("config file vanished");
    }
  }

  /** Its onStop waits for {@link #release}, so a test can look at the program while it stops. */
  static final class SlowStopService extends Service {
    final CountDownLatch stopping = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    protected void onStop() throws InterruptedException {
      stopping.countDown();
      release.await();
    }
  }

  static AdminOptions options() {
    return new AdminOptions().port(0).token(TOKEN);
  }
}
