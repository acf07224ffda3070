package dev.mode;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated method every {@link #value() interval} while its service runs.
 *
 * <p>The first run comes one interval after start ({@link #execFirst()} runs it at once). Runs never
 * overlap. The schedule holds: each sleep is the interval corrected by how late the last wake-up
 * was, clamped to interval &plusmn; 100 ms, so small delays do not accumulate and a long pause is
 * not followed by a burst. See {@link TimerInfo} for the counters. Timers share one scheduling
 * structure per clock: an idle timer holds no thread.
 *
 * <p>The interval is a duration string ({@code "250ms"}, {@code "1.5s"}, {@code "2m"}, {@code
 * "1h"}, {@code "1d"}, ISO-8601 {@code "PT1.5S"}, or a plain number of seconds); a bad value makes
 * the service's constructor throw {@link IllegalArgumentException} naming the method and the value.
 *
 * <pre>{@code
 * @Timer("1s")
 * void expireUsers() { cache.expire(); }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Timer {
  /** The interval, as a duration string. */
  String value();

  /** Run once immediately at start, then every interval. */
  boolean execFirst() default false;

  /**
   * When true, an exception from a run is logged and counted ({@link TimerInfo#lastError()}) and the
   * timer goes on; when false (the default) it crashes the service.
   */
  boolean continueOnError() default false;
}
