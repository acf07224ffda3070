package ${package};

import dev.mode.worker.Worker;

/**
 * Runs the {@link Greeter} under the Worker: logging, signals (Ctrl-C or SIGTERM stop it in order and
 * exit 0), {@code --help} and the other Worker options.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    worker(new Greeter()).executeFromCommandLine(args);
  }

  /** The Worker that {@code main} runs; the test runs the same one. */
  static Worker worker(Greeter greeter) {
    return Worker.builder(greeter).name("getting-started").build();
  }
}
