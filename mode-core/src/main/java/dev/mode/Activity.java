package dev.mode;

/**
 * A piece of service code running right now that is expected to return soon: a lifecycle callback
 * or a timer or cron run (not a task: tasks may run for the life of the service). A blocking detector
 * reads these from {@link Service#activities()} to report code that has not returned in time.
 *
 * @param what for example {@code "onStart"} or {@code "timer tick"}
 * @param thread the thread running it
 * @param sinceNanos when it began, in {@link System#nanoTime()} (real time, whatever the service's
 *     clock)
 */
public record Activity(String what, Thread thread, long sinceNanos) {}
