package dev.mode.examples.worker;

import dev.mode.Durations;
import dev.mode.worker.Worker;
import dev.mode.worker.WorkerExtension;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * docs/worker.md: a Worker extension that adds {@code --drain DURATION} and, on a graceful stop,
 * waits that long before any service stops (time for a load balancer to notice the program is
 * leaving). Register it in {@code META-INF/services/dev.mode.worker.WorkerExtension}, or pass it to
 * {@code Worker.builder(...).extension(new DrainExtension())}.
 */
public final class DrainExtension implements WorkerExtension {
  private static final Logger LOG = LoggerFactory.getLogger(DrainExtension.class);

  @Option(names = "--drain", paramLabel = "DURATION", description = "Wait this long before stopping (e.g. 5s). Default: none.")
  String drain;

  @Override
  public Object options() {
    return this;
  }

  @Override
  public void beforeStop(Worker worker) {
    if (drain == null) return;
    Duration d = Durations.parse(drain);
    LOG.info("Draining for {} before the services stop", Durations.format(d));
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
