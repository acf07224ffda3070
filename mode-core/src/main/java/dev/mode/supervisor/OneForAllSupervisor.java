package dev.mode.supervisor;

import java.time.Duration;

/**
 * When one supervised service crashes, stops all supervised services (in reverse supervised order) and restarts them all (in supervised order): for services that cannot run without each other.
 *
 * <p>See {@link SupervisorStrategy} for the restart limit, back-off, replacement and threading.
 */
public class OneForAllSupervisor extends SupervisorStrategy {
  /** At most {@value #DEFAULT_MAX_RESTARTS} restarts within 5 seconds. */
  public OneForAllSupervisor() {
    this(DEFAULT_MAX_RESTARTS, DEFAULT_OVER);
  }

  /**
   * At most {@code maxRestarts} restarts within any window of length {@code over}.
   *
   * @throws IllegalArgumentException if {@code maxRestarts} is negative or {@code over} is null or
   *     not positive
   */
  public OneForAllSupervisor(int maxRestarts, Duration over) {
    super(maxRestarts, over, Scope.ALL, Policy.RESTART);
  }
}
