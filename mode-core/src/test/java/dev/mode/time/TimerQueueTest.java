package dev.mode.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The clock's heap against a reference model: whatever mix of adds, cancels and polls, actions come
 * out by deadline, ties in the order they were added, cancelled ones never, and the count of
 * pending actions is right (a {@link ManualClock}'s {@code awaitScheduled} relies on it).
 */
class TimerQueueTest {
  private record Key(long deadline, long order) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      return deadline != o.deadline ? Long.compare(deadline, o.deadline) : Long.compare(order, o.order);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
  void actionsComeOutInDeadlineThenInsertionOrderAndCancelledOnesNever(long seed) {
    Random rnd = new Random(seed);
    TimerQueue q = new TimerQueue();
    TreeMap<Key, TimerQueue.Entry> model = new TreeMap<>();
    List<TimerQueue.Entry> live = new ArrayList<>();
    List<Key> keys = new ArrayList<>();
    long order = 0;
    long now = Long.MAX_VALUE - 5_000; // deadlines wrap around, as System.nanoTime may
    for (int step = 0; step < 20_000; step++) {
      int op = rnd.nextInt(10);
      if (op < 5) {
        // few distinct deadlines, so ties are common
        long deadline = now + rnd.nextInt(2_000);
        TimerQueue.Entry e = q.add(deadline, () -> {}, x -> false);
        Key k = new Key(deadline - now, order++);
        model.put(k, e);
        live.add(e);
        keys.add(k);
      } else if (op < 8 && !live.isEmpty()) {
        int i = rnd.nextInt(live.size());
        TimerQueue.Entry e = live.remove(i);
        Key k = keys.remove(i);
        assertThat(q.remove(e)).as("seed %d step %d: cancel of a pending entry", seed, step).isTrue();
        assertThat(q.remove(e)).as("seed %d step %d: a second cancel", seed, step).isFalse();
        model.remove(k);
      } else {
        TimerQueue.Entry got = q.poll();
        var expected = model.pollFirstEntry();
        assertThat(got).as("seed %d step %d: poll", seed, step).isSameAs(expected == null ? null : expected.getValue());
        if (got != null) {
          int i = live.indexOf(got);
          live.remove(i);
          keys.remove(i);
          assertThat(q.remove(got)).as("seed %d step %d: cancel after it ran", seed, step).isFalse();
        }
      }
      assertThat(q.size()).as("seed %d step %d: pending count", seed, step).isEqualTo(model.size());
      var first = model.firstEntry();
      assertThat(q.peek()).as("seed %d step %d: peek", seed, step).isSameAs(first == null ? null : first.getValue());
    }
    while (!model.isEmpty()) {
      assertThat(q.poll()).as("seed %d: drain", seed).isSameAs(model.pollFirstEntry().getValue());
    }
    assertThat(q.poll()).isNull();
    assertThat(q.size()).isZero();
  }
}
