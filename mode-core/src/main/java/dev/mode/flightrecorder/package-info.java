/**
 * The flight recorder (SPEC §8): an operation's log, kept quiet unless the operation outlives its
 * timeout, then printed with the operation thread's stack (Mode's {@code flight_recorder}), with
 * per-thread nesting ({@code FlightRecorder.current()}), context merged into lines, and
 * call-logging wrappers.
 *
 * <p>What lives here: {@link dev.mode.flightrecorder.FlightRecorder} and its nested {@code
 * Recording}. It reads time only through {@link dev.mode.time.ModeClock}, so a {@code ManualClock}
 * drives it in tests, and logs only through SLF4J.
 *
 * <p>Who may change what: this package's owner; it uses {@code dev.mode.Durations} for formatting and
 * nothing of {@code Service}, so the core may change freely around it.
 */
package dev.mode.flightrecorder;
