package dev.mode;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated method at the times a standard 5-field Unix cron expression names
 * ({@code minute hour day-of-month month day-of-week}), in {@link #zone()}.
 *
 * <p>Fire times come from cron-utils, so DST gaps and overlaps behave as Unix cron does. Runs never
 * overlap: a fire time that passes while the previous run is still going is skipped and counted as
 * an overlap. An invalid expression or zone makes the service's constructor throw
 * {@link IllegalArgumentException} naming the method and the value.
 *
 * <pre>{@code
 * @Crontab(value = "0 3 * * *", zone = "Europe/Oslo")
 * void nightlyCompaction() { store.compact(); }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Crontab {
  /** The cron expression, e.g. {@code "*}{@code /5 * * * *"}. */
  String value();

  /** A time-zone id such as {@code "Europe/Oslo"} or {@code "UTC"}; empty means the system default. */
  String zone() default "";

  /** When true, an exception from a run is logged and counted instead of crashing the service. */
  boolean continueOnError() default false;
}
