package dev.mode.examples.worker;

import dev.mode.Service;
import dev.mode.worker.Settings;
import dev.mode.worker.Worker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * docs/worker.md: a service that reads its own settings by the Worker's rule, {@code
 * MODE_GREETER_NAME} in the environment or {@code greeter-name=} in the {@code --config} file:
 *
 * <pre>
 * MODE_GREETER_INTERVAL=2s java ... GreeterMain --config greeter.properties
 * </pre>
 */
public final class GreeterMain {
  private GreeterMain() {}

  /** Greets someone every interval; both come from the configuration. */
  static final class Greeter extends Service {
    final AtomicInteger greetings = new AtomicInteger();

    @Override
    protected void onStart() {
      Settings settings = Worker.settings(); // the command line is parsed by now
      String name = settings.get("greeter-name", "world");
      Duration every = settings.getDuration("greeter-interval", Duration.ofSeconds(5));
      addTask("greet", () -> {
        while (sleep(every)) {
          log.info("Hello, {}!", name);
          greetings.incrementAndGet();
        }
      });
    }
  }

  public static void main(String[] args) {
    new Worker(new Greeter()).executeFromCommandLine(args);
  }
}
