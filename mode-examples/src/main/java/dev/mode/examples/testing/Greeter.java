package dev.mode.examples.testing;

import dev.mode.Service;
import dev.mode.Task;
import dev.mode.worker.Worker;

/** The Worker program of docs/testing.md: greets, then ends the program with exit code 0. */
public class Greeter extends Service {
  @Task
  void greet() {
    log.info("Hello from {}", path());
    Worker.running().exit(0);
  }

  /** The program; a test runs {@code program()::execute} in-process. */
  public static Worker program() {
    return Worker.builder(new Greeter()).name("greeter").build();
  }

  public static void main(String[] args) {
    program().executeFromCommandLine(args);
  }
}
