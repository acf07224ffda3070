package dev.mode;

/**
 * The lifecycle state of a {@link Service}.
 *
 * <pre>
 * INIT -> STARTING -> RUNNING -> STOPPING -> SHUTDOWN
 *              \          \          \
 *               +----------+----------+--> CRASHED
 * </pre>
 *
 * <p>SHUTDOWN and CRASHED are terminal for one run of a service; {@link Service#restart()} (or
 * {@link Service#start()} on a stopped service) resets it to INIT and starts it again. A service that
 * crashes while stopping stays CRASHED when the stop completes.
 */
public enum State {
  /** Created, or reset for a restart; not started. */
  INIT,
  /** {@code start()} is running its steps; becomes RUNNING when {@code onStarted} returns. */
  STARTING,
  /** Fully started: the service and all its dependencies are running. */
  RUNNING,
  /** A stop has begun: {@code shouldStop()} is true and the stop steps are running. */
  STOPPING,
  /** Stopped cleanly: every stop step has run. */
  SHUTDOWN,
  /** Crashed: {@code crashReason()} says why. The stop steps may or may not have run yet. */
  CRASHED;

  /** True for SHUTDOWN and CRASHED: states in which {@code awaitStopped} returns. */
  public boolean isTerminal() {
    return this == SHUTDOWN || this == CRASHED;
  }
}
