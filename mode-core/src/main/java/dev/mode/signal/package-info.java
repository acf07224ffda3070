/**
 * Signals (SPEC §1, §8): Mode's observer hook with its defects fixed.
 *
 * <p>What lives here: {@link dev.mode.signal.Signal} (receivers in connection order, disconnect by
 * identity, failures collected into {@link dev.mode.signal.SignalException}), and {@link
 * dev.mode.signal.BoundSignal}, the view of a signal for one sender whose receivers get that sender
 * (Mode's {@code with_default_sender}). All receivers, bound ones included, live in the one
 * copy-on-write list of their {@code Signal}: that list alone defines the connection order.
 *
 * <p>Who may change what: the names and shapes of {@code Signal}'s constructors, {@code connect},
 * {@code disconnect} and {@code send} are fixed by SPEC §1; anything else may grow. The package
 * depends on nothing else in Mode, so any module may use it.
 */
package dev.mode.signal;
