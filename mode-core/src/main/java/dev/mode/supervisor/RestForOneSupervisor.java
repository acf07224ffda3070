package dev.mode.supervisor;

import java.time.Duration;

/**
 * When a supervised service crashes, stops it and every service supervised after it (in reverse order), then restarts them in order: for services that depend on the ones added before them.
 *
 * <p>See {@link SupervisorStrategy} for the restart limit, back-off, replacement and threading.
 */
public class RestForOneSupervisor extends SupervisorStrategy {
  /** At most {@value #DEFAULT_MAX_RESTARTS} restarts within 5 seconds. */
  public RestForOneSupervisor() {
    this(DEFAULT_MAX_RESTARTS, DEFAULT_OVER);
  }

  /**
   * At most {@code maxRestarts} restarts within any window of length {@code over}.
   *
   * @throws IllegalArgumentException if {@code maxRestarts} is negative or {@code over} is null or
   *     not positive
   */
  public RestForOneSupervisor(int maxRestarts, Duration over) {
    super(maxRestarts, over, Scope.REST, Policy.RESTART);
  }
}
