/**
 * The Mode test kit: test services, timers, cron jobs, supervisors and Worker programs exactly.
 *
 * <ul>
 *   <li>{@link dev.mode.test.ModeTest @ModeTest} (or {@code @ExtendWith(ModeExtension.class)}) gives
 *       each test a {@link dev.mode.test.ModeTestKit} and a {@link dev.mode.time.ManualClock}, stops
 *       what the test started, and fails a test that leaves threads alive or ignores a crash;
 *   <li>{@link dev.mode.test.ModeTestKit} starts services on the test's clock and waits, on listener
 *       events, for states, restarts and timer runs;
 *   <li>{@link dev.mode.test.CapturedLogs} holds the log lines of the test, quiet on the console;
 *   <li>{@link dev.mode.test.WorkerRun} is a Worker program run in-process.
 * </ul>
 *
 * <p>The kit depends on mode-core and, at run time, on the JUnit Jupiter API the test brings; log
 * capture works when Logback is the SLF4J backend. Everything public here is thread-safe unless its
 * documentation says otherwise.
 */
package dev.mode.test;
