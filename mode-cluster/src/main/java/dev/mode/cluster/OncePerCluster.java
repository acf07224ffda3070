package dev.mode.cluster;

import dev.mode.Service;
import dev.mode.ThrowingRunnable;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The programmatic {@link ClusterOnce}: adds a timer or cron job to a service, to run on one replica
 * per fire time, with the same semantics as the annotation.
 *
 * <pre>{@code
 * OncePerCluster.timer(this, "report", Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ZERO, this::report);
 * }</pre>
 *
 * <p>Thread-safe. Call it where {@code addTimer}/{@code addCron} may be called (a constructor or
 * {@code onFirstStart} is typical).
 */
public final class OncePerCluster {
  private static final Map<Service, Map<String, OncePolicy>> JOBS = Collections.synchronizedMap(new WeakHashMap<>());

  private OncePerCluster() {}

  /**
   * Adds a once-per-cluster timer to {@code service} (see {@link Service#addTimer(String, Duration,
   * ThrowingRunnable)}).
   *
   * @throws IllegalArgumentException if a duration is invalid (the message names it) or the name is
   *     taken
   */
  public static void timer(
      Service service, String name, Duration interval, Duration lockAtMostFor, Duration lockAtLeastFor, ThrowingRunnable body) {
    OncePolicy p = new OncePolicy(lockAtMostFor, lockAtLeastFor, Objects.requireNonNull(interval, "interval"));
    register(service, name, p);
    service.addTimer(name, interval, body);
  }

  /**
   * Adds a once-per-cluster cron job to {@code service} (see {@link Service#addCron(String, String,
   * ZoneId, ThrowingRunnable)}); {@code zone} null means the system default.
   *
   * @throws IllegalArgumentException if the expression or a duration is invalid, or the name is taken
   */
  public static void cron(
      Service service, String name, String expression, ZoneId zone, Duration lockAtMostFor, Duration lockAtLeastFor, ThrowingRunnable body) {
    OncePolicy p = new OncePolicy(lockAtMostFor, lockAtLeastFor, OncePolicy.CRON_PERIOD);
    register(service, name, p);
    service.addCron(name, expression, zone, body);
  }

  private static void register(Service service, String name, OncePolicy p) {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(name, "name");
    JOBS.computeIfAbsent(service, s -> new ConcurrentHashMap<>()).put(name, p);
  }

  static OncePolicy registered(Service service, String name) {
    Map<String, OncePolicy> m = JOBS.get(service);
    return m == null ? null : m.get(name);
  }
}
