package dev.mode.supervisor;

import java.time.Duration;

/**
 * Restarts nothing: a crash of a supervised service crashes the supervisor with the same reason, which propagates up as any crash does (and so ends a Worker). The supervisor still records each crash ({@link #lastCrashOf}).
 *
 * <p>The restart limit does not apply: this strategy never restarts. See {@link SupervisorStrategy} for supervised services and threading.
 */
public class CrashingSupervisor extends SupervisorStrategy {
  /** At most {@value #DEFAULT_MAX_RESTARTS} restarts within 5 seconds. */
  public CrashingSupervisor() {
    this(DEFAULT_MAX_RESTARTS, DEFAULT_OVER);
  }

  /**
   * At most {@code maxRestarts} restarts within any window of length {@code over}.
   *
   * @throws IllegalArgumentException if {@code maxRestarts} is negative or {@code over} is null or
   *     not positive
   */
  public CrashingSupervisor(int maxRestarts, Duration over) {
    super(maxRestarts, over, Scope.ONE, Policy.ESCALATE);
  }
}
