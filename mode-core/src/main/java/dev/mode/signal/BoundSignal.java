package dev.mode.signal;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A {@link Signal} bound to the object that sends it (Mode's {@code with_default_sender}): each
 * owner keeps its own instance, sends on its own behalf, and its receivers get the owner with each
 * value. One receiver can so observe many owners and tell them apart: the observer pattern across
 * services.
 *
 * <pre>{@code
 * class Cache extends Service {
 *   static final Signal<String> EVICTED = new Signal<>("evicted");       // every cache
 *   final BoundSignal<Cache, String> evicted = EVICTED.bindTo(this);     // this cache
 *
 *   void evict(String key) { ...; evicted.send(key); }
 * }
 *
 * BiConsumer<Cache, String> count = (cache, key) -> metrics.evicted(cache.label());
 * users.evicted.connect(count);       // runs for users' evictions, with users
 * orders.evicted.connect(count);      // runs for orders' evictions, with orders
 * Cache.EVICTED.connect(audit::key);  // runs for every cache's evictions (value only)
 * }</pre>
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li>A bound signal is a view: the receivers live in the shared {@link #signal()}. {@link #send}
 *       is {@code signal().send(owner, value)}: it runs, in connection order, the signal's receivers
 *       connected without a sender and those connected for this owner (through this view or with
 *       {@link Signal#connect(Object, Consumer)}); receivers of other owners do not run.
 *   <li>Everything else is as for {@link Signal}: receivers run on the sending thread one after
 *       another; a failing receiver does not stop the others, and {@code send} then throws a {@link
 *       SignalException} (first failure as cause, the others suppressed); connecting or
 *       disconnecting during a send takes effect at the next one; thread-safe.
 *   <li>Owners are compared by identity. A receiver connected here keeps its owner reachable for as
 *       long as it is connected.
 * </ul>
 *
 * @param <S> the owner's type, as receivers see it
 * @param <T> the type of value sent
 */
public final class BoundSignal<S, T> {
  private final Signal<T> signal;
  private final S owner;

  BoundSignal(Signal<T> signal, S owner) {
    this.signal = signal;
    this.owner = owner;
  }

  /** The shared signal this view sends on. */
  public Signal<T> signal() {
    return signal;
  }

  /** The owner: the sender of every {@link #send} and the first argument of every receiver. */
  public S owner() {
    return owner;
  }

  /** The shared signal's name. */
  public String name() {
    return signal.name();
  }

  /**
   * Connects {@code receiver} for this owner's sends: it runs at every later {@link #send} of this
   * view (or {@code send(owner, value)} of the signal), with the owner and the value, after the
   * receivers connected before it. Connecting the same receiver twice makes it run twice.
   *
   * @return a handle whose {@link Signal.Connection#disconnect()} disconnects this connection
   */
  public Signal.Connection connect(BiConsumer<? super S, ? super T> receiver) {
    Objects.requireNonNull(receiver, "receiver");
    return signal.connectBound(owner, receiver);
  }

  /** Connects a receiver that needs only the value, for this owner's sends (see {@link #connect(BiConsumer)}). */
  public Signal.Connection connect(Consumer<? super T> receiver) {
    return signal.connect(owner, receiver);
  }

  /**
   * Disconnects {@code receiver} from this owner's sends (its earliest connection through {@link
   * #connect(BiConsumer)} of a view of the same owner).
   *
   * @return true if it was connected
   * @throws NullPointerException if {@code receiver} is null
   */
  public boolean disconnect(BiConsumer<? super S, ? super T> receiver) {
    Objects.requireNonNull(receiver, "receiver");
    return signal.disconnectBound(owner, receiver);
  }

  /**
   * Runs, on the calling thread and in connection order, every receiver of the signal that runs for
   * this owner: those connected without a sender and those connected for this owner.
   *
   * @throws SignalException after all of them ran, if any failed
   */
  public void send(T value) {
    signal.send(owner, value);
  }

  /** As {@link Signal#sendAsync(Object, Object)} on behalf of the owner. */
  public CompletableFuture<Void> sendAsync(T value) {
    return signal.sendAsync(owner, value);
  }

  /** How many receivers a {@link #send} would run now. */
  public int receiverCount() {
    return signal.receiverCount(owner);
  }

  @Override
  public String toString() {
    return "BoundSignal[" + signal.name() + ", owner=" + owner + "]";
  }
}
