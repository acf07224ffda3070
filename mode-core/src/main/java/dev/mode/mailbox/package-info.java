/**
 * Actor-style mailboxes (SPEC §8; Mode's {@code MethodQueue}): {@link dev.mode.mailbox.Mailbox}, a
 * service that processes messages one at a time, in arrival order, on its own virtual thread, with
 * a bounded queue and back-pressure; and {@link dev.mode.mailbox.Calls}, the one implementation of
 * waiting for a call's reply with its exception unwrapped (used by {@code dev.mode.confined} too).
 *
 * <p>Who may change what: this package's owner. It builds only on the public and protected API of
 * {@link dev.mode.Service}. {@code Calls} is public only to be shared with {@code dev.mode.confined};
 * keep it stateless.
 */
package dev.mode.mailbox;
