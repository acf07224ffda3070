package dev.mode.signal;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * An observer hook: receivers {@linkplain #connect connect} to a signal and each {@link #send}
 * passes a value to all of them.
 *
 * <pre>{@code
 * Signal<Order> orderPlaced = new Signal<>("orderPlaced");
 * Consumer<Order> audit = order -> auditLog.add(order.id());
 * orderPlaced.connect(audit);
 * orderPlaced.send(order);        // runs audit
 * orderPlaced.disconnect(audit);  // keep the reference to disconnect
 * }</pre>
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li>{@link #send} runs the receivers on the calling thread, one after another, in connection
 *       order. A failing receiver does not stop the others: once all ran, {@code send} throws a
 *       {@link SignalException} with the first failure as cause and the others suppressed.
 *   <li>{@link #disconnect} removes a receiver by identity ({@code ==}), so it works for any
 *       receiver, lambdas included, as long as the caller keeps the reference it connected (a new
 *       method reference {@code this::onOrder} is a new object each time it is evaluated).
 *   <li>Thread-safe. A send sees the receivers connected when it began: connecting or disconnecting
 *       during a send (from a receiver or another thread) takes effect at the next send and never
 *       breaks the send in progress.
 *   <li>{@link #connect(Object, Consumer)} filters by sender: such a receiver runs only for {@link
 *       #send(Object, Object)} from that very sender; receivers connected without a sender run for
 *       every send.
 *   <li>{@link #connectWeak} holds a receiver weakly: once nothing else references it, it is
 *       dropped, so a signal does not keep its listeners alive.
 *   <li>{@link #bindTo} gives the view of this signal for one sender (Mode's {@code
 *       with_default_sender}): a {@link BoundSignal} whose receivers get the sender with each value.
 *       All views share this signal's receivers, so connection order holds across them.
 * </ul>
 *
 * @param <T> the type of value sent
 */
public final class Signal<T> {
  private static final AtomicInteger ANONYMOUS = new AtomicInteger();

  private final String name;
  private final CopyOnWriteArrayList<Receiver<T>> receivers = new CopyOnWriteArrayList<>();

  /** A signal named {@code signal-N}. */
  public Signal() {
    this("signal-" + ANONYMOUS.incrementAndGet());
  }

  /** A signal with the given name, used in error messages. */
  public Signal(String name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  /** The signal's name. */
  public String name() {
    return name;
  }

  /**
   * Connects {@code receiver}; it runs at every send after this call, after the receivers connected
   * before it. Connecting the same receiver twice makes it run twice per send.
   *
   * @return a handle whose {@link Connection#disconnect()} disconnects this connection
   */
  public Connection connect(Consumer<? super T> receiver) {
    Objects.requireNonNull(receiver, "receiver");
    Receiver<T> r = new Strong<>(receiver, null);
    receivers.add(r);
    return () -> receivers.remove(r);
  }

  /**
   * Connects {@code receiver} for sends from {@code sender} only ({@link #send(Object, Object)} with
   * that very object, compared by identity); otherwise as {@link #connect(Consumer)}.
   */
  public Connection connect(Object sender, Consumer<? super T> receiver) {
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(receiver, "receiver");
    Receiver<T> r = new Strong<>(receiver, sender);
    receivers.add(r);
    return () -> receivers.remove(r);
  }

  /**
   * Connects {@code receiver} weakly: the signal does not keep it alive; once it is garbage
   * collected it no longer runs and is dropped. A lambda that captures nothing is a constant that
   * is never collected: weak connection fits receivers owned by an object with a lifetime.
   */
  public Connection connectWeak(Consumer<? super T> receiver) {
    Objects.requireNonNull(receiver, "receiver");
    Receiver<T> r = new Weak<>(receiver);
    receivers.add(r);
    return () -> receivers.remove(r);
  }

  /**
   * Disconnects {@code receiver} (its earliest connection, if it was connected more than once).
   *
   * @return true if it was connected
   * @throws NullPointerException if {@code receiver} is null
   */
  public boolean disconnect(Consumer<? super T> receiver) {
    Objects.requireNonNull(receiver, "receiver");
    for (Receiver<T> r : receivers) {
      if (!(r instanceof FromSender) && r.target() == receiver) return receivers.remove(r);
    }
    return false;
  }

  /**
   * This signal bound to {@code owner}: a view whose {@link BoundSignal#send} sends on behalf of
   * {@code owner} and whose receivers get {@code owner} with each value. Typically one per owning
   * object, kept in a field: {@code final BoundSignal<Cache, String> evicted = EVICTED.bindTo(this);}.
   * Views share this signal's receivers (see {@link BoundSignal}). Cheap; any thread.
   *
   * @param <S> the owner's type, as its receivers see it
   */
  public <S> BoundSignal<S, T> bindTo(S owner) {
    return new BoundSignal<>(this, Objects.requireNonNull(owner, "owner"));
  }

  // a receiver of sends from `sender` only, given the sender too (BoundSignal's)
  Connection connectBound(Object sender, BiConsumer<?, ? super T> receiver) {
    Receiver<T> r = new FromSender<>(receiver, sender);
    receivers.add(r);
    return () -> receivers.remove(r);
  }

  // the earliest connection of `receiver` for `sender` made by connectBound
  boolean disconnectBound(Object sender, BiConsumer<?, ? super T> receiver) {
    for (Receiver<T> r : receivers) {
      if (r instanceof FromSender<T> f && f.target == receiver && f.sender == sender) return receivers.remove(r);
    }
    return false;
  }

  // how many receivers run for a send from `sender` (null: a send without sender)
  int receiverCount(Object sender) {
    prune();
    int n = 0;
    for (Receiver<T> r : receivers) if (r.accepts(sender)) n++;
    return n;
  }

  /** The number of receivers connected now (weak ones already collected are not counted). */
  public int receiverCount() {
    prune();
    return receivers.size();
  }

  /**
   * Runs every receiver with {@code value}, in connection order, on the calling thread.
   *
   * @throws SignalException after all receivers ran, if any failed (first failure as cause, the
   *     others suppressed)
   */
  public void send(T value) {
    send(null, value);
  }

  /**
   * As {@link #send(Object)}, on behalf of {@code sender}: runs the receivers connected without a
   * sender and those connected for this sender, in connection order.
   *
   * @throws SignalException after all receivers ran, if any failed
   */
  public void send(Object sender, T value) {
    List<Throwable> failures = null;
    boolean collected = false;
    for (Receiver<T> r : receivers) {
      if (!r.accepts(sender)) continue;
      Object target = r.target();
      if (target == null) {
        collected = true;
        continue;
      }
      try {
        r.deliver(target, sender, value);
      } catch (Throwable t) {
        if (failures == null) failures = new ArrayList<>(1);
        failures.add(t);
      }
    }
    if (collected) prune();
    if (failures != null) throw new SignalException(name, failures);
  }

  /**
   * Runs every receiver with {@code value}, each on its own virtual thread, all at once (so in no
   * particular order), and returns at once.
   *
   * @return a future that completes when all receivers have returned: normally, or exceptionally
   *     with a {@link SignalException} (first failure in connection order as cause, the others
   *     suppressed)
   */
  public CompletableFuture<Void> sendAsync(T value) {
    return sendAsync(null, value);
  }

  /** As {@link #sendAsync(Object)}, on behalf of {@code sender} (see {@link #send(Object, Object)}). */
  public CompletableFuture<Void> sendAsync(Object sender, T value) {
    List<Receiver<T>> chosen = new ArrayList<>();
    List<Object> targets = new ArrayList<>();
    for (Receiver<T> r : receivers) {
      if (!r.accepts(sender)) continue;
      Object target = r.target(); // held strongly until the run, so a weak one stays alive
      if (target == null) continue;
      chosen.add(r);
      targets.add(target);
    }
    Throwable[] failed = new Throwable[targets.size()];
    CompletableFuture<?>[] runs = new CompletableFuture<?>[targets.size()];
    for (int i = 0; i < targets.size(); i++) {
      int index = i;
      CompletableFuture<Void> run = new CompletableFuture<>();
      runs[i] = run;
      Thread.ofVirtual()
          .name("signal-" + name + "-" + i)
          .start(() -> {
            try {
              chosen.get(index).deliver(targets.get(index), sender, value);
            } catch (Throwable t) {
              failed[index] = t;
            } finally {
              run.complete(null);
            }
          });
    }
    CompletableFuture<Void> result = new CompletableFuture<>();
    CompletableFuture.allOf(runs)
        .whenComplete((ignored, never) -> {
          List<Throwable> failures = new ArrayList<>();
          for (Throwable t : failed) if (t != null) failures.add(t);
          if (failures.isEmpty()) result.complete(null);
          else result.completeExceptionally(new SignalException(name, failures));
        });
    return result;
  }

  private void prune() {
    receivers.removeIf(r -> r.target() == null);
  }

  @Override
  public String toString() {
    return "Signal[" + name + ", " + receivers.size() + " receivers]";
  }

  /** One connection of a receiver to a signal. */
  @FunctionalInterface
  public interface Connection {
    /**
     * Disconnects this connection.
     *
     * @return true if it was still connected
     */
    boolean disconnect();
  }

  /**
   * One connection. {@link #target()} is the function connected (null once a weak one is
   * collected): disconnecting compares it by identity.
   */
  private interface Receiver<T> {
    Object target();

    /** True if this receiver runs for sends from {@code sender} (null: a send without sender). */
    default boolean accepts(Object sender) {
      return true;
    }

    /** Runs {@code target} (what {@link #target()} returned) for one send. */
    void deliver(Object target, Object sender, T value);
  }

  // identity equality on purpose: a Connection removes its own entry, not an equal one
  private static final class Strong<T> implements Receiver<T> {
    private final Consumer<? super T> target;
    private final Object sender; // null: any sender

    Strong(Consumer<? super T> target, Object sender) {
      this.target = target;
      this.sender = sender;
    }

    @Override
    public Object target() {
      return target;
    }

    @Override
    public boolean accepts(Object from) {
      return sender == null || sender == from;
    }

    @Override
    public void deliver(Object t, Object from, T value) {
      target.accept(value);
    }
  }

  private static final class Weak<T> implements Receiver<T> {
    private final WeakReference<Consumer<? super T>> ref;

    Weak(Consumer<? super T> target) {
      this.ref = new WeakReference<>(target);
    }

    @Override
    public Object target() {
      return ref.get();
    }

    @Override
    @SuppressWarnings("unchecked")
    public void deliver(Object t, Object from, T value) {
      ((Consumer<? super T>) t).accept(value);
    }
  }

  // a BoundSignal's receiver: runs for its sender's sends only, and is given that sender
  private static final class FromSender<T> implements Receiver<T> {
    final BiConsumer<?, ? super T> target;
    final Object sender;

    FromSender(BiConsumer<?, ? super T> target, Object sender) {
      this.target = target;
      this.sender = sender;
    }

    @Override
    public Object target() {
      return target;
    }

    @Override
    public boolean accepts(Object from) {
      return sender == from;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void deliver(Object t, Object from, T value) {
      // safe: BoundSignal connects a BiConsumer<? super S, ...> for an owner of type S only
      ((BiConsumer<Object, ? super T>) target).accept(from, value);
    }
  }
}
