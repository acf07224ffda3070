package dev.mode.supervisor;

import java.time.Duration;

/**
 * When a supervised service crashes, stops it (runs its stop steps) and does not restart it; logs "Giving up on ...". The others keep running.
 *
 * <p>The restart limit does not apply: this strategy never restarts. See {@link SupervisorStrategy} for supervised services and threading.
 */
public class ForfeitOneForOneSupervisor extends SupervisorStrategy {
  /** At most {@value #DEFAULT_MAX_RESTARTS} restarts within 5 seconds. */
  public ForfeitOneForOneSupervisor() {
    this(DEFAULT_MAX_RESTARTS, DEFAULT_OVER);
  }

  /**
   * At most {@code maxRestarts} restarts within any window of length {@code over}.
   *
   * @throws IllegalArgumentException if {@code maxRestarts} is negative or {@code over} is null or
   *     not positive
   */
  public ForfeitOneForOneSupervisor(int maxRestarts, Duration over) {
    super(maxRestarts, over, Scope.ONE, Policy.FORFEIT);
  }
}
