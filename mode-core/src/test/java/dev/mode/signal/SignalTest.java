package dev.mode.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC §1 and §8: receivers in connection order, disconnect works, failures are collected. */
class SignalTest {
  final List<String> calls = new CopyOnWriteArrayList<>();

  @Test
  void sendRunsEveryReceiverInConnectionOrder() {
    Signal<String> signal = new Signal<>("greeting");
    for (int i = 0; i < 20; i++) {
      int n = i;
      signal.connect(v -> calls.add(n + ":" + v));
    }
    signal.send("hi");
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 20; i++) expected.add(i + ":hi");
    assertThat(calls).containsExactlyElementsOf(expected);
  }

  @Test
  void disconnectRemovesALambdaKeptInAVariable() {
    Signal<String> signal = new Signal<>();
    Consumer<String> first = v -> calls.add("first");
    Consumer<Object> second = v -> calls.add("second");
    signal.connect(first);
    signal.connect(second);
    assertThat(signal.disconnect(first)).isTrue();
    assertThat(signal.disconnect(first)).as("already gone").isFalse();
    signal.send("x");
    assertThat(calls).containsExactly("second");
    assertThat(signal.receiverCount()).isEqualTo(1);
  }

  @Test
  void theConnectionHandleDisconnectsItsOwnConnection() {
    Signal<String> signal = new Signal<>();
    Consumer<String> r = v -> calls.add(v);
    Signal.Connection a = signal.connect(r);
    signal.connect(r);
    assertThat(a.disconnect()).isTrue();
    signal.send("once");
    assertThat(calls).containsExactly("once");
  }

  @Test
  void aFailingReceiverDoesNotStopTheOthersAndAllFailuresAreReported() {
    Signal<String> signal = new Signal<>("orders");
    IllegalStateException first = new IllegalStateException("first");
    IllegalArgumentException second = new IllegalArgumentException("second");
    signal.connect(v -> calls.add("a"));
    signal.connect(v -> {
      throw first;
    });
    signal.connect(v -> calls.add("b"));
    signal.connect(v -> {
      throw second;
    });
    signal.connect(v -> calls.add("c"));
    assertThatThrownBy(() -> signal.send("x"))
        .isInstanceOf(SignalException.class)
        .hasCauseReference(first)
        .hasMessageContaining("2 receivers of signal orders failed")
        .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(second));
    assertThat(calls).containsExactly("a", "b", "c");
  }

  @Test
  void disconnectOfNullThrowsNullPointerExceptionLikeTheRestOfTheApi() {
    // issue 11 item 9: it returned false, unlike connect(null)
    Signal<String> signal = new Signal<>();
    assertThatThrownBy(() -> signal.disconnect(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("receiver");
    assertThatThrownBy(() -> signal.connect(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void connectingAndDisconnectingDuringASendTakesEffectAtTheNextSend() {
    Signal<String> signal = new Signal<>();
    Consumer<String> late = v -> calls.add("late");
    Consumer<String>[] self = new Consumer[1];
    Consumer<String> third = v -> calls.add("third");
    self[0] = v -> {
      calls.add("editor");
      signal.disconnect(self[0]);
      signal.disconnect(third);
      signal.connect(late);
    };
    signal.connect(self[0]);
    signal.connect(third);
    signal.send("1");
    assertThat(calls).containsExactly("editor", "third");
    calls.clear();
    signal.send("2");
    assertThat(calls).containsExactly("late");
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void concurrentConnectsAndDisconnectsNeverBreakASend(long seed) throws Exception {
    Signal<Integer> signal = new Signal<>();
    AtomicInteger stable = new AtomicInteger();
    signal.connect(v -> stable.incrementAndGet());
    int sends = 2000;
    CountDownLatch done = new CountDownLatch(1);
    Thread churn = Thread.ofPlatform().start(() -> {
      java.util.Random random = new java.util.Random(seed);
      List<Consumer<Integer>> mine = new ArrayList<>();
      while (done.getCount() > 0) {
        if (mine.isEmpty() || random.nextBoolean()) {
          Consumer<Integer> c = v -> {};
          mine.add(c);
          signal.connect(c);
        } else {
          signal.disconnect(mine.remove(random.nextInt(mine.size())));
        }
      }
    });
    try {
      for (int i = 0; i < sends; i++) signal.send(i);
    } finally {
      done.countDown();
      churn.join();
    }
    assertThat(stable.get()).as("seed %d: the stable receiver ran at every send", seed).isEqualTo(sends);
  }

  @Test
  void aWeakReceiverIsDroppedOnceCollected() {
    Signal<String> signal = new Signal<>();
    Object owner = new Object();
    Consumer<String> receiver = v -> calls.add(v + owner.hashCode());
    signal.connectWeak(receiver);
    signal.send("x");
    assertThat(calls).hasSize(1);
    WeakReference<Object> probe = new WeakReference<>(receiver);
    receiver = null;
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      System.gc();
      return probe.get() == null;
    });
    signal.send("y");
    assertThat(calls).hasSize(1);
    assertThat(signal.receiverCount()).isZero();
  }

  @Test
  void sendAsyncRunsEveryReceiverOnAVirtualThreadAndReportsFailures() throws Exception {
    Signal<String> signal = new Signal<>("async");
    CountDownLatch bothRunning = new CountDownLatch(2);
    List<Boolean> virtual = new CopyOnWriteArrayList<>();
    IllegalStateException boom = new IllegalStateException("boom");
    signal.connect(v -> {
      virtual.add(Thread.currentThread().isVirtual());
      bothRunning.countDown();
      awaitLatch(bothRunning);
    });
    signal.connect(v -> {
      virtual.add(Thread.currentThread().isVirtual());
      bothRunning.countDown();
      awaitLatch(bothRunning); // only returns if both run at once
      throw boom;
    });
    var future = signal.sendAsync("x");
    assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(SignalException.class)
        .satisfies(e -> assertThat(e.getCause().getCause()).isSameAs(boom));
    assertThat(virtual).containsExactly(true, true);
  }

  @Test
  void sendAsyncWithoutFailuresCompletesNormally() throws Exception {
    Signal<String> signal = new Signal<>();
    signal.connect(calls::add);
    signal.sendAsync("x").get(10, TimeUnit.SECONDS);
    assertThat(calls).containsExactly("x");
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) throw new AssertionError("receivers did not run concurrently");
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aReceiverConnectedForASenderRunsOnlyForThatSender() {
    Signal<String> signal = new Signal<>();
    Object alice = new Object();
    Object bob = new Object();
    signal.connect(v -> calls.add("any:" + v));
    signal.connect(alice, v -> calls.add("alice:" + v));
    signal.send(alice, "1");
    signal.send(bob, "2");
    signal.send("3");
    assertThat(calls).containsExactly("any:1", "alice:1", "any:2", "any:3");
  }
}
