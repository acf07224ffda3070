package dev.mode.supervisor;

import java.time.Duration;

/**
 * Restarts nothing: a crash of a supervised service crashes the supervisor with the same reason,
 * which propagates up as any crash does (and so ends a Worker). The supervisor still records each
 * crash ({@link #lastCrashOf}).
 *
 * <p>The restart limit does not apply, since this strategy never restarts: the constructors take
 * one only so that every strategy is built the same way (SPEC §1), and {@link #maxRestarts()} and
 * {@link #over()} report it. See {@link SupervisorStrategy} for supervised services and threading.
 */
public class CrashingSupervisor extends SupervisorStrategy {
  /** A crashing supervisor (its unused limit is the default one). */
  public CrashingSupervisor() {
    this(DEFAULT_MAX_RESTARTS, DEFAULT_OVER);
  }

  /**
   * A crashing supervisor; {@code maxRestarts} and {@code over} are checked and reported but never
   * apply (see the class documentation).
   *
   * @throws IllegalArgumentException if {@code maxRestarts} is negative or {@code over} is null or
   *     not positive
   */
  public CrashingSupervisor(int maxRestarts, Duration over) {
    super(maxRestarts, over, Scope.ONE, Policy.ESCALATE);
  }
}
