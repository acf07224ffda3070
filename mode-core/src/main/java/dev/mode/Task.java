package dev.mode;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated method once per start of its service, on its own virtual thread, right after
 * {@code onStart}. A loop inside should test {@link Service#shouldStop()} or use
 * {@link Service#sleep(java.time.Duration)}; at stop the thread is interrupted and joined.
 *
 * <p>The method must be an instance method with no parameters (any visibility). An exception
 * escaping it crashes the service; an {@link InterruptedException} while stopping is a normal end.
 * Tasks, timers and cron jobs of a class start in a fixed order: superclass first, then by method
 * name.
 *
 * <pre>{@code
 * @Task
 * void consume() throws InterruptedException {
 *   while (!shouldStop()) handle(queue.take());
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Task {}
