package dev.mode;

import java.util.Objects;

/**
 * A service that can tell whether it is healthy beyond being RUNNING: a database it cannot reach, a
 * queue that stopped draining. Implement it on the {@link Service} subclass; whatever observes the
 * tree (the admin's {@code /health/ready} and health groups) calls {@link #checkHealth()} while the
 * service is RUNNING and lists the reason of every unhealthy service, naming its path.
 *
 * <pre>{@code
 * final class Orders extends Service implements HealthCheck {
 *   public HealthCheck.Result checkHealth() {
 *     return db.isValid(1) ? Result.up() : Result.down("cannot reach " + db.url());
 *   }
 * }
 * }</pre>
 *
 * <p>Called from any thread, possibly while the service's own tasks run, never under a lock of the
 * service; it should answer fast and must not block for long: the caller bounds the wait and reports
 * a check that does not answer in time as unhealthy. An exception thrown counts as unhealthy, with the
 * exception as the reason.
 */
@FunctionalInterface
public interface HealthCheck {

  /**
   * Says whether this service is healthy now.
   *
   * @return the result; never null
   * @throws Exception if the check itself failed (reported as unhealthy with the exception)
   */
  Result checkHealth() throws Exception;

  /**
   * The answer of one check. Immutable.
   *
   * @param healthy true if the service can do its work
   * @param reason why it cannot (for an unhealthy result), or empty
   */
  record Result(boolean healthy, String reason) {
    private static final Result HEALTHY = new Result(true, "");

    /**
     * Checks the reason.
     *
     * @throws IllegalArgumentException if an unhealthy result has a blank reason
     */
    public Result {
      Objects.requireNonNull(reason, "reason");
      if (!healthy && reason.isBlank()) {
        throw new IllegalArgumentException("An unhealthy result needs a reason, such as \"cannot reach db:5432\"");
      }
    }

    /**
     * A healthy result.
     *
     * @return the result
     */
    public static Result up() {
      return HEALTHY;
    }

    /**
     * An unhealthy result with its reason.
     *
     * @param reason what is wrong, for an operator: {@code "cannot reach db:5432"}
     * @return the result
     */
    public static Result down(String reason) {
      return new Result(false, reason);
    }
  }
}
