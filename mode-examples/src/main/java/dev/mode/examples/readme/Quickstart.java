package dev.mode.examples.readme;

import dev.mode.Service;
import dev.mode.Task;
import dev.mode.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/** The README's example: a service with a dependency, a @Task and a @Timer. */
public final class Quickstart {
  private Quickstart() {}

  static class UserCache extends Service {
    final ConcurrentHashMap<String, Long> users = new ConcurrentHashMap<>();

    @Timer("1s")
    void expire() {
      users.values().removeIf(seen -> seen < System.currentTimeMillis() - 10_000);
    }
  }

  static class App extends Service {
    final UserCache cache = addDependency(new UserCache());

    @Task
    void greet() {
      while (sleep(Duration.ofMillis(500))) {
        cache.users.put("user-" + cache.users.size(), System.currentTimeMillis());
        log.info("{} users online", cache.users.size());
      }
    }
  }

  public static void main(String[] args) {
    App app = new App();
    Runtime.getRuntime().addShutdownHook(new Thread(app::stop)); // Ctrl-C stops cleanly
    app.start();
    app.awaitStopped(Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 3));
    app.stop();
  }
}
