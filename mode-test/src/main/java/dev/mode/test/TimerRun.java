package dev.mode.test;

import dev.mode.Service;
import java.time.Duration;
import java.util.Optional;

/**
 * One finished run of a timer or cron job, as {@link ModeTestKit#awaitNextTimerRun} saw it.
 *
 * @param service the service that owns the timer
 * @param timer the timer's or cron job's name
 * @param lateness how late the run began against its slot (negative when early)
 * @param runtime how long it took
 * @param overlapped true if it took longer than the interval
 * @param error what it threw, if it failed
 */
public record TimerRun(
    Service service, String timer, Duration lateness, Duration runtime, boolean overlapped, Optional<Throwable> error) {}
