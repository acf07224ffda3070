package dev.mode;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A snapshot of one timer's or cron job's counters, from {@link Service#timers()}. Immutable.
 *
 * @param name the method name (annotations) or the name given to {@code addTimer}/{@code addCron}
 * @param kind {@code "timer"} or {@code "cron"}
 * @param schedule the interval ({@code "1s"}) or the cron expression and zone
 * @param runs runs started since the service was created (across restarts)
 * @param overlaps runs that took longer than the interval (cron: fire times skipped because a run was
 *     still going)
 * @param driftsEarly wake-ups that came early by at least min(30% of interval, 1.2 s); intervals &ge;
 *     1 s only
 * @param driftsLate wake-ups that came late by that much
 * @param errors runs that ended with an exception
 * @param lastRunStart when the last run began, if any
 * @param lastDuration how long the last finished run took, if any
 * @param lastError the last run's exception, if it failed
 * @param nextRun when the next run is due, if the timer is armed
 */
public record TimerInfo(
    String name,
    String kind,
    String schedule,
    long runs,
    long overlaps,
    long driftsEarly,
    long driftsLate,
    long errors,
    Optional<Instant> lastRunStart,
    Optional<Duration> lastDuration,
    Optional<Throwable> lastError,
    Optional<Instant> nextRun) {}
