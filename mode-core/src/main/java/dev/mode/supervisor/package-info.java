/**
 * Supervisors (SPEC §6): services that restart, stop or escalate the crashes of the services they
 * supervise, with Erlang/OTP semantics.
 *
 * <p>What lives here:
 *
 * <ul>
 *   <li>The public face: {@link dev.mode.supervisor.SupervisorStrategy} and its six strategies
 *       (names fixed by SPEC §1), {@link dev.mode.supervisor.Backoff} (the back-off policy as an
 *       immutable value) and {@link dev.mode.supervisor.MaxRestartsExceeded} (the reason a
 *       supervisor gives up).
 *   <li>Package-private collaborators, each the only writer of its state: {@code Slots} (the
 *       supervised order and each slot's service), {@code RestartIntensity} (the pure arithmetic of
 *       the sliding restart window and of per-slot back-off, {@code now} passed in, tested without
 *       threads or clocks), {@code Restarter} (restarting and replacing a group, stopping it in
 *       reverse).
 * </ul>
 *
 * <p>Who may change what: the strategies' behaviour is SPEC §6's; the arithmetic changes only in
 * {@code RestartIntensity}, with a test in {@code RestartIntensityArithmeticTest}. This package uses
 * only the public and protected API of {@link dev.mode.Service} (whose internals the core owns), so a
 * change here never needs one in {@code dev.mode}. Restarts run on each supervisor's own {@code
 * supervise} task, one at a time.
 */
package dev.mode.supervisor;
