/**
 * Services: the {@link dev.mode.Service} users extend, its annotations ({@link dev.mode.Task},
 * {@link dev.mode.Timer}, {@link dev.mode.Crontab}), states, results and snapshots.
 *
 * <h2>What lives here</h2>
 *
 * <p>{@code Service} is the public face: identity, settings, the user callbacks, and every public
 * method as a short delegation. Behind it, package-private collaborators each own one piece of state
 * and are its only writer:
 *
 * <ul>
 *   <li>{@code Lifecycle}: the engine, which <em>is</em> the service's lock (it extends {@code
 *       ReentrantLock}, so it costs no extra object). The only writer of the state, the crash
 *       reason and the current {@code Run}; start, restart, crash, waiting. {@code Starting} and
 *       {@code Stopping} hold the steps of a start and of a stop as static code over it; a stop is a
 *       resumable step machine kept in the {@code Run}.
 *   <li>{@code BoundedStop}: runs each stop on a helper virtual thread watched by the caller, so a
 *       callback or {@code close()} that overruns the stop timeout is logged and left behind.
 *   <li>{@code JobTable} with {@code Run}, {@code Job} and {@code TaskHandle}: tasks, timers, cron
 *       jobs and closeables. The only code that starts or joins task and timer threads (through
 *       {@code Runners}: a new virtual thread per task, pooled runners for timer and cron runs); the
 *       job table lives in the engine's fields, written only by {@code JobTable}.
 *   <li>{@code ServiceTree}: the only writer of {@code parent}, {@code children} and the cached
 *       path, under one global lock.
 *   <li>{@code Events}: listener delivery (queued under the lock, delivered after it, in order, one
 *       thread at a time per service) and the only writer of the listener list.
 *   <li>{@code Callback}: calls the lifecycle callbacks and sets the thread context (activity, MDC,
 *       {@code Service.current()}).
 *   <li>{@code Waiting}: the waits behind {@code waitFor}; {@code FunctionService}: {@code
 *       Service.of}.
 *   <li>{@code ClassModel}, {@code JobSpec}, {@code ServiceLogger}, {@code RunInterceptors}:
 *       per-class facts read once, job declarations, the prefixed logger, the run hook.
 * </ul>
 *
 * <h2>Who may change what</h2>
 *
 * <p>Public and protected members of {@code Service} are SPEC-fixed: check {@code javap -protected
 * dev.mode.Service} before and after a change. A field is written only by the class named beside it
 * (grep {@code state =}: only {@code Lifecycle}). No lock is held around user code, a join or a
 * listener ({@code Events} asserts it). Other packages ({@code supervisor}, {@code time}, {@code
 * graph}, ...) use only the public API. The package depends on {@code dev.mode.graph} ({@code
 * beacon()} returns a {@code Node}, SPEC-fixed) and {@code dev.mode.time} (the clock).
 */
package dev.mode;
