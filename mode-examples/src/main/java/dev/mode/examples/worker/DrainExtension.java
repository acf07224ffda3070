package dev.mode.examples.worker;

import dev.mode.Durations;
import dev.mode.worker.DurationConverter;
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

  @Option(
      names = "--drain",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Wait this long before stopping (e.g. 5s). Default: none.")
  Duration drain;

  @Override
  public Object options() {
    return this;
  }

  @Override
  public void beforeStop(Worker worker) {
    if (drain == null) return;
    LOG.info("Draining for {} before the services stop", Durations.format(drain));
    try {
      Thread.sleep(drain);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
