package dev.mode.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mode.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Signals bound to a sender (Mode's with_default_sender): one view per owner, receivers get it. */
class BoundSignalTest {
  final List<String> calls = new CopyOnWriteArrayList<>();

  record Owner(String name) {}

  @Test
  void aBoundReceiverGetsTheOwnerAndRunsOnlyForThatOwnersSends() {
    Signal<String> evicted = new Signal<>("evicted");
    Owner users = new Owner("users");
    Owner orders = new Owner("orders");
    BoundSignal<Owner, String> usersEvicted = evicted.bindTo(users);
    BoundSignal<Owner, String> ordersEvicted = evicted.bindTo(orders);
    BiConsumer<Owner, String> count = (owner, key) -> calls.add(owner.name() + ":" + key);
    usersEvicted.connect(count);
    ordersEvicted.connect(count);

    usersEvicted.send("u1");
    ordersEvicted.send("o1");
    evicted.send("nobody's");

    assertThat(calls).containsExactly("users:u1", "orders:o1");
    assertThat(usersEvicted.owner()).isSameAs(users);
    assertThat(usersEvicted.signal()).isSameAs(evicted);
  }

  @Test
  void receiversOfTheSharedSignalAndOfTheOwnerRunInConnectionOrder() {
    Signal<String> signal = new Signal<>();
    Owner a = new Owner("a");
    BoundSignal<Owner, String> bound = signal.bindTo(a);
    signal.connect(v -> calls.add("any1"));
    bound.connect((owner, v) -> calls.add("bound1"));
    signal.connect(a, v -> calls.add("filtered"));
    bound.connect(v -> calls.add("valueOnly"));
    signal.connect(v -> calls.add("any2"));
    bound.connect((owner, v) -> calls.add("bound2"));

    bound.send("x");

    assertThat(calls).containsExactly("any1", "bound1", "filtered", "valueOnly", "any2", "bound2");
    assertThat(bound.receiverCount()).isEqualTo(6);
    assertThat(signal.bindTo(new Owner("b")).receiverCount()).as("another owner hears only the shared ones").isEqualTo(2);
  }

  @Test
  void twoViewsOfTheSameOwnerShareTheirReceivers() {
    Signal<String> signal = new Signal<>();
    Owner a = new Owner("a");
    BiConsumer<Owner, String> r = (owner, v) -> calls.add(v);
    signal.bindTo(a).connect(r);
    signal.bindTo(a).send("once");
    assertThat(calls).containsExactly("once");
    assertThat(signal.bindTo(a).disconnect(r)).isTrue();
  }

  @Test
  void aFailingReceiverDoesNotStopTheOthersAndAllFailuresAreReported() {
    Signal<String> signal = new Signal<>("orders");
    BoundSignal<Owner, String> bound = signal.bindTo(new Owner("shop"));
    IllegalStateException first = new IllegalStateException("first");
    IllegalArgumentException second = new IllegalArgumentException("second");
    bound.connect((o, v) -> calls.add("a"));
    bound.connect((o, v) -> {
      throw first;
    });
    signal.connect(v -> calls.add("b"));
    bound.connect((o, v) -> {
      throw second;
    });
    bound.connect((o, v) -> calls.add("c"));
    assertThatThrownBy(() -> bound.send("x"))
        .isInstanceOf(SignalException.class)
        .hasMessageContaining("2 receivers of signal orders failed")
        .satisfies(e -> assertThat(e.getCause()).isSameAs(first))
        .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(second));
    assertThat(calls).containsExactly("a", "b", "c");
  }

  @Test
  void disconnectRemovesTheReceiverForThatOwnerOnly() {
    Signal<String> signal = new Signal<>();
    Owner a = new Owner("a");
    Owner b = new Owner("b");
    BiConsumer<Owner, String> r = (owner, v) -> calls.add(owner.name());
    signal.bindTo(a).connect(r);
    signal.bindTo(b).connect(r);
    assertThat(signal.bindTo(a).disconnect(r)).isTrue();
    assertThat(signal.bindTo(a).disconnect(r)).as("already gone").isFalse();
    signal.bindTo(a).send("x");
    signal.bindTo(b).send("x");
    assertThat(calls).containsExactly("b");
    assertThatThrownBy(() -> signal.bindTo(a).disconnect(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> signal.bindTo(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("owner");
  }

  @Test
  void theConnectionHandleDisconnectsItsOwnConnection() {
    Signal<String> signal = new Signal<>();
    BoundSignal<Owner, String> bound = signal.bindTo(new Owner("a"));
    BiConsumer<Owner, String> r = (owner, v) -> calls.add(v);
    Signal.Connection first = bound.connect(r);
    bound.connect(r);
    assertThat(first.disconnect()).isTrue();
    bound.send("once");
    assertThat(calls).containsExactly("once");
  }

  @Test
  void aPlainDisconnectDoesNotRemoveABoundReceiver() {
    Signal<String> signal = new Signal<>();
    Owner a = new Owner("a");
    Both both = new Both();
    signal.bindTo(a).connect((BiConsumer<Owner, String>) both);
    assertThat(signal.disconnect((Consumer<String>) both)).isFalse();
    signal.bindTo(a).send("x");
    assertThat(calls).containsExactly("bi:x");
  }

  // a function object that is both kinds of receiver
  final class Both implements BiConsumer<Owner, String>, Consumer<String> {
    @Override
    public void accept(Owner owner, String v) {
      calls.add("bi:" + v);
    }

    @Override
    public void accept(String v) {
      calls.add("mono:" + v);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 5, 8, 13, 21, 34})
  void anyMixOfConnectsAndDisconnectsRunsExactlyTheOwnersReceiversInConnectionOrder(long seed) {
    // a model: the list of (owner or null for "any", receiver id) in connection order
    Random random = new Random(seed);
    Signal<String> signal = new Signal<>("mix");
    List<Owner> owners = List.of(new Owner("a"), new Owner("b"), new Owner("c"));
    List<Object[]> model = new ArrayList<>(); // {Owner or null, Integer id, Object receiver}
    List<String> heard = new ArrayList<>();
    for (int step = 0; step < 300; step++) {
      int op = random.nextInt(5);
      Owner owner = owners.get(random.nextInt(owners.size()));
      int id = step;
      if (op == 0) {
        Consumer<String> r = v -> heard.add("any" + id);
        signal.connect(r);
        model.add(new Object[] {null, id, r});
      } else if (op == 1) {
        BiConsumer<Owner, String> r = (o, v) -> heard.add(o.name() + id);
        signal.bindTo(owner).connect(r);
        model.add(new Object[] {owner, id, r});
      } else if (op == 2 && !model.isEmpty()) {
        Object[] victim = model.get(random.nextInt(model.size()));
        boolean removed = victim[0] == null
            ? signal.disconnect(castConsumer(victim[2]))
            : signal.bindTo((Owner) victim[0]).disconnect(castBi(victim[2]));
        assertThat(removed).as("seed %d step %d: a connected receiver disconnects", seed, step).isTrue();
        model.remove(victim);
      } else {
        heard.clear();
        signal.bindTo(owner).send("x");
        List<String> expected = new ArrayList<>();
        for (Object[] m : model) {
          if (m[0] == null) expected.add("any" + m[1]);
          else if (m[0] == owner) expected.add(owner.name() + m[1]);
        }
        assertThat(heard).as("seed %d step %d: send from %s", seed, step, owner.name()).containsExactlyElementsOf(expected);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Consumer<String> castConsumer(Object o) {
    return (Consumer<String>) o;
  }

  @SuppressWarnings("unchecked")
  private static BiConsumer<Owner, String> castBi(Object o) {
    return (BiConsumer<Owner, String>) o;
  }

  /** A service that announces its ticks through its own bound signal. */
  static final class Ticker extends Service {
    static final Signal<Integer> TICKED = new Signal<>("ticked");
    final BoundSignal<Ticker, Integer> ticked = TICKED.bindTo(this);
    final String name;

    Ticker(String name) {
      this.name = name;
      addTask("tick", () -> {
        for (int i = 1; i <= 3; i++) ticked.send(i);
      });
    }

    @Override
    public String label() {
      return name;
    }
  }

  @Test
  void oneObserverTellsServicesApartByTheSenderItIsGiven() throws Exception {
    Ticker left = new Ticker("Left");
    Ticker right = new Ticker("Right");
    CountDownLatch heard = new CountDownLatch(6);
    List<String> seen = new CopyOnWriteArrayList<>();
    BiConsumer<Ticker, Integer> observer = (ticker, n) -> {
      seen.add(ticker.label() + n);
      heard.countDown();
    };
    left.ticked.connect(observer);
    right.ticked.connect(observer);
    try {
      left.start();
      right.start();
      assertThat(heard.await(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      left.stop();
      right.stop();
    }
    assertThat(seen).containsExactlyInAnyOrder("Left1", "Left2", "Left3", "Right1", "Right2", "Right3");
    assertThat(seen.stream().filter(s -> s.startsWith("Left")).toList())
        .as("one sender's values arrive in its send order")
        .containsExactly("Left1", "Left2", "Left3");
  }
}
