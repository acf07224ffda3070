package dev.mode.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The system clock's wheel against a reference model: whatever mix of adds (due now, within the
 * wheel's reach, beyond it, long overdue), cancels and moves of time (a tick, a few, a long sleep),
 * the due actions come out by deadline, ties in the order they were added, cancelled ones never, none
 * before its deadline, and the clock is never told to sleep past the earliest pending deadline.
 */
class TimerWheelTest {
  private record Key(long deadline, long order) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      return deadline != o.deadline ? Long.compare(deadline, o.deadline) : Long.compare(order, o.order);
    }
  }

  private static final long TICK = TimerWheel.TICK_NANOS;
  private static final long SPAN = TICK * TimerWheel.SLOTS;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
  void dueActionsComeOutInDeadlineThenInsertionOrderAndCancelledOnesNever(long seed) {
    Random rnd = new Random(seed);
    long now = rnd.nextLong() >> 2; // any origin, negative ones included, as System.nanoTime may be
    TimerWheel w = new TimerWheel(now);
    TreeMap<Key, TimerQueue.Entry> model = new TreeMap<>();
    List<TimerQueue.Entry> live = new ArrayList<>();
    List<Key> keys = new ArrayList<>();
    long order = 0;
    // a handful of deadlines reused, so that ties across slots, heaps and ticks are common
    long[] shared = new long[8];
    for (int i = 0; i < shared.length; i++) shared[i] = now + rnd.nextLong(3 * SPAN);
    for (int step = 0; step < 30_000; step++) {
      int op = rnd.nextInt(20);
      if (op < 9) {
        long deadline =
            switch (rnd.nextInt(6)) {
              case 0 -> now - rnd.nextInt(5) * TICK; // overdue
              case 1 -> now + rnd.nextLong(TICK); // this tick or the next
              case 2 -> now + rnd.nextLong(SPAN); // within the wheel
              case 3 -> now + SPAN + rnd.nextLong(2 * SPAN); // beyond it
              case 4 -> shared[rnd.nextInt(shared.length)];
              default -> now + rnd.nextLong(20 * TICK);
            };
        TimerQueue.Entry e = new TimerQueue.Entry(deadline, () -> {}, x -> false);
        w.insert(e);
        Key k = new Key(deadline, order++);
        model.put(k, e);
        live.add(e);
        keys.add(k);
      } else if (op < 12 && !live.isEmpty()) {
        int i = rnd.nextInt(live.size());
        TimerQueue.Entry e = live.remove(i);
        model.remove(keys.remove(i));
        assertThat(e.claim()).isTrue(); // as SystemClock.cancel does before handing it to the clock thread
        assertThat(w.remove(e)).as("seed %d step %d: cancel of a pending entry", seed, step).isTrue();
      } else {
        // time moves on: mostly a little, sometimes past the wheel's reach
        long dt =
            switch (rnd.nextInt(8)) {
              case 0 -> 0;
              case 1 -> SPAN + rnd.nextLong(SPAN);
              case 2 -> rnd.nextLong(200 * TICK);
              default -> rnd.nextLong(3 * TICK);
            };
        // the clock never sleeps past the earliest deadline: its wake time is no later
        if (!model.isEmpty()) {
          long wake = w.nextWake();
          long earliest = model.firstKey().deadline;
          assertThat(wake - earliest).as("seed %d step %d: wake time after the earliest deadline", seed, step).isLessThanOrEqualTo(0);
          if (wake - now > 0) dt = Math.min(dt, wake - now); // as the clock would: it wakes at that time
        }
        now += dt;
        w.advance(now);
        TimerQueue.Entry got;
        while ((got = w.peek()) != null && got.deadline - now <= 0) {
          assertThat(w.poll()).isSameAs(got);
          var expected = model.pollFirstEntry();
          assertThat(expected).as("seed %d step %d: the wheel gave an action the model lacks", seed, step).isNotNull();
          assertThat(got).as("seed %d step %d: next due action", seed, step).isSameAs(expected.getValue());
          int i = live.indexOf(got);
          live.remove(i);
          keys.remove(i);
        }
        var first = model.firstEntry();
        assertThat(first == null || first.getKey().deadline - now > 0)
            .as("seed %d step %d: an action due by now was not given", seed, step)
            .isTrue();
      }
    }
    // drain: move time on until all came out, in order
    while (!model.isEmpty()) {
      now = Math.max(now, w.nextWake());
      w.advance(now);
      TimerQueue.Entry got;
      while ((got = w.peek()) != null && got.deadline - now <= 0) {
        assertThat(w.poll()).as("seed %d: drain", seed).isSameAs(model.pollFirstEntry().getValue());
      }
    }
    assertThat(w.peek()).isNull();
  }
}
