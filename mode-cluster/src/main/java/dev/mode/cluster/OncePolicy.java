package dev.mode.cluster;

import dev.mode.Crontab;
import dev.mode.Durations;
import dev.mode.RunInterceptor;
import dev.mode.Timer;
import java.lang.reflect.Method;
import java.time.Duration;

/**
 * What a once-per-cluster job needs to know: its lock durations and its fire period (a timer's
 * interval; a minute for cron, whose fire times are whole minutes).
 */
record OncePolicy(Duration lockAtMostFor, Duration lockAtLeastFor, Duration period) {
  static final Duration CRON_PERIOD = Duration.ofMinutes(1);

  OncePolicy {
    if (lockAtMostFor.isNegative() || lockAtMostFor.isZero()) {
      throw new IllegalArgumentException("Invalid lockAtMostFor " + lockAtMostFor + ": use a positive duration longer than the longest run");
    }
    if (lockAtLeastFor.isNegative() || lockAtLeastFor.compareTo(lockAtMostFor) > 0) {
      throw new IllegalArgumentException(
          "Invalid lockAtLeastFor " + lockAtLeastFor + ": use a duration between 0s and lockAtMostFor (" + lockAtMostFor + ")");
    }
  }

  /** The policy of an annotated method, or null if it is not {@link ClusterOnce}. */
  static OncePolicy of(Method m) {
    ClusterOnce once = m.getAnnotation(ClusterOnce.class);
    if (once == null) return null;
    Duration period;
    Timer timer = m.getAnnotation(Timer.class);
    if (timer != null) {
      period = Durations.parse(timer.value());
    } else if (m.isAnnotationPresent(Crontab.class)) {
      period = CRON_PERIOD;
    } else {
      throw new IllegalArgumentException(
          "@ClusterOnce on " + m + " needs @Timer or @Crontab beside it");
    }
    return new OncePolicy(parse(m, "lockAtMostFor", once.lockAtMostFor()), parse(m, "lockAtLeastFor", once.lockAtLeastFor()), period);
  }

  private static Duration parse(Method m, String what, String text) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("@ClusterOnce(" + what + ") on " + m.getName() + ": " + e.getMessage(), e);
    }
  }

  /** The policy of this run: from the method's annotation, else from {@link OncePerCluster}. */
  static OncePolicy of(RunInterceptor.JobRun run) {
    if (run.method().isPresent()) return of(run.method().get());
    return OncePerCluster.registered(run.service(), run.name());
  }
}
