package dev.mode.supervisor;

import java.time.Duration;

/**
 * Restarts only the crashed service: the others keep running.
 *
 * <p>See {@link SupervisorStrategy} for the restart limit, back-off, replacement and threading.
 */
public class OneForOneSupervisor extends SupervisorStrategy {
  /** At most {@value #DEFAULT_MAX_RESTARTS} restarts within 5 seconds. */
  public OneForOneSupervisor() {
    this(DEFAULT_MAX_RESTARTS, DEFAULT_OVER);
  }

  /**
   * At most {@code maxRestarts} restarts within any window of length {@code over}.
   *
   * @throws IllegalArgumentException if {@code maxRestarts} is negative or {@code over} is null or
   *     not positive
   */
  public OneForOneSupervisor(int maxRestarts, Duration over) {
    super(maxRestarts, over, Scope.ONE, Policy.RESTART);
  }
}
