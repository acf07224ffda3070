package dev.mode.supervisor;

import dev.mode.Durations;
import java.time.Duration;

/**
 * The crash reason of a supervisor that gave up: a supervised service crashed once more than the
 * supervisor's restart intensity allows ({@code maxRestarts} restarts within any window of length
 * {@code over}). Its cause is the crash that was not restarted.
 */
public final class MaxRestartsExceeded extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String servicePath;
  private final int maxRestarts;
  private final Duration over;

  /**
   * @param servicePath the path of the service whose crash exceeded the limit
   * @param maxRestarts the limit
   * @param over the window the limit applies to
   * @param lastCrash the crash that was not restarted (the cause)
   */
  public MaxRestartsExceeded(String servicePath, int maxRestarts, Duration over, Throwable lastCrash) {
    super(
        servicePath
            + " crashed once more than allowed: at most "
            + maxRestarts
            + " restart"
            + (maxRestarts == 1 ? "" : "s")
            + " within "
            + Durations.format(over)
            + (lastCrash == null ? "" : "; last crash: " + lastCrash),
        lastCrash);
    this.servicePath = servicePath;
    this.maxRestarts = maxRestarts;
    this.over = over;
  }

  /** The path of the service whose crash exceeded the limit. */
  public String servicePath() {
    return servicePath;
  }

  /** The restart limit that was reached. */
  public int maxRestarts() {
    return maxRestarts;
  }

  /** The sliding window the limit applies to. */
  public Duration over() {
    return over;
  }
}
