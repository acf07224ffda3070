package dev.mode.supervisor;

import java.time.Duration;

/**
 * When a supervised service crashes, stops all supervised services (in reverse supervised order) and restarts none; logs "Giving up on ...".
 *
 * <p>The restart limit does not apply: this strategy never restarts. See {@link SupervisorStrategy} for supervised services and threading.
 */
public class ForfeitOneForAllSupervisor extends SupervisorStrategy {
  /** At most {@value #DEFAULT_MAX_RESTARTS} restarts within 5 seconds. */
  public ForfeitOneForAllSupervisor() {
    this(DEFAULT_MAX_RESTARTS, DEFAULT_OVER);
  }

  /**
   * At most {@code maxRestarts} restarts within any window of length {@code over}.
   *
   * @throws IllegalArgumentException if {@code maxRestarts} is negative or {@code over} is null or
   *     not positive
   */
  public ForfeitOneForAllSupervisor(int maxRestarts, Duration over) {
    super(maxRestarts, over, Scope.ALL, Policy.FORFEIT);
  }
}
