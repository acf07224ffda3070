/**
 * Time: {@link dev.mode.time.ModeClock}, the one clock through which Mode sleeps and schedules, and
 * its implementations: the package-private {@code SystemClock} (one daemon thread over a {@code
 * TimerWheel}, 1 ms slots in front of two {@code TimerQueue} 4-ary heaps, fed through a lock-free
 * inbox) and {@link dev.mode.time.ManualClock} (one {@code TimerQueue}) for tests.
 *
 * <p>A leaf package: it imports nothing from {@code dev.mode} (the core depends on it, never the
 * reverse; {@code ModeClock.deadlineAfter} inlines its saturating conversion for that reason). Keep
 * it so.
 *
 * <p>Who may change what: {@code ModeClock}, {@code SystemClock}, {@code TimerWheel} and {@code
 * TimerQueue} belong to the core's time owner; {@code ManualClock} belongs to the test-kit owner. {@code ModeClock.Work} is
 * public only for the handshake between the core's timer runs and {@code ManualClock}.
 */
package dev.mode.time;
