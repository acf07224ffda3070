package dev.mode.examples.worker;

import dev.mode.Service;
import dev.mode.Timer;
import dev.mode.worker.ExitException;
import dev.mode.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * docs/worker.md: a program run by the Worker, with options set in code (the command line still
 * overrides them) and a service that ends the program with an exit code of its choosing.
 */
public final class JanitorMain {
  private JanitorMain() {}

  /** Sweeps a spool directory every second; ends the program when told to. */
  static final class Janitor extends Service {
    private final Path spool;

    Janitor(Path spool) {
      this.spool = spool;
    }

    @Timer("1s")
    void sweep() throws Exception {
      if (!Files.isDirectory(spool)) {
        // a crash whose reason carries the code: the Worker stops everything and exits with 3
        throw new ExitException(3, "spool directory " + spool + " is gone");
      }
      if (Files.exists(spool.resolve("STOP"))) {
        Worker.running().exit(0); // a graceful stop, then exit code 0
      }
    }
  }

  public static void main(String[] args) {
    Worker.builder(new Janitor(Path.of(System.getProperty("janitor.spool", "spool"))))
        .name("janitor")
        .loglevel("info")
        .blockingTimeout(Duration.ofSeconds(2)) // a sweep stuck for 2 s is reported with its stack
        .shutdownTimeout(Duration.ofSeconds(10))
        .build()
        .executeFromCommandLine(args);
  }
}
