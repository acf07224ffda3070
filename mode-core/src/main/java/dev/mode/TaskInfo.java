package dev.mode;

import java.util.Optional;

/**
 * A snapshot of one thread of work that a service owns, from {@link Service#tasks()}: a task, or a
 * timer or cron run in progress. Immutable; the thread itself is live.
 *
 * @param name the task's name (timer runs: the timer's name)
 * @param kind {@code "task"}, {@code "timer"} or {@code "cron"}
 * @param thread the virtual thread running it; empty while a task waits for its service to start
 */
public record TaskInfo(String name, String kind, Optional<Thread> thread) {}
