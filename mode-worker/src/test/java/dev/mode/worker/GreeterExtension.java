package dev.mode.worker;

import dev.mode.Service;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * A test extension, registered through META-INF/services: adds {@code --greeting}; when it is given,
 * runs a Greeter service and logs before the stop. Silent otherwise, so the other tests' programs
 * are unchanged.
 */
public final class GreeterExtension implements WorkerExtension {
  @Option(names = "--greeting", paramLabel = "TEXT", description = "Greet with TEXT (test extension).")
  String greeting;

  @Override
  public Object options() {
    return this;
  }

  @Override
  public List<Service> services(Worker worker) {
    return greeting == null ? List.of() : List.of(new Greeter(greeting));
  }

  @Override
  public void beforeStop(Worker worker) {
    if (greeting != null) org.slf4j.LoggerFactory.getLogger(GreeterExtension.class).info("beforeStop: draining");
  }

  static final class Greeter extends Service {
    private final String greeting;

    Greeter(String greeting) {
      this.greeting = greeting;
    }

    @Override
    protected void onStarted() {
      log.info("Greeting: {}", greeting);
    }
  }
}
