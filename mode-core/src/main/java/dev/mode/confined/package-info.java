/**
 * Thread-confined services (SPEC §8; Mode's {@code ServiceThread}): {@link
 * dev.mode.confined.ConfinedService}, whose callbacks and {@code call}/{@code cast} bodies run on
 * one dedicated platform thread per run, for libraries that must always be called from the same
 * thread.
 *
 * <p>Who may change what: this package's owner. It builds only on the public and protected API of
 * {@link dev.mode.Service} (it takes over the lifecycle callbacks to hand them to its thread), and
 * shares the reply side of {@code call} with the mailbox ({@link dev.mode.mailbox.Calls}).
 */
package dev.mode.confined;
