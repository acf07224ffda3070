package dev.mode.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link ModeClock#reschedule}: a timer that re-arms after each run reuses its handle on the system clock. */
class SystemClockRescheduleTest {
  private final ModeClock clock = ModeClock.system();

  @Test
  void aHandleWhoseActionRanIsReusedAndRunsAgain() throws InterruptedException {
    CountDownLatch first = new CountDownLatch(1);
    CountDownLatch second = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    Runnable action =
        () -> {
          if (runs.incrementAndGet() == 1) first.countDown();
          else second.countDown();
        };
    ModeClock.Scheduled h = clock.schedule(clock.nanoTime(), action);
    assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();

    ModeClock.Scheduled again = clock.reschedule(h, clock.nanoTime() + 1_000_000, action);
    assertThat(again).isSameAs(h);
    assertThat(second.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(again.cancel()).as("it ran: nothing left to cancel").isFalse();
  }

  @Test
  void aRescheduledHandleCanBeCancelledBeforeItRuns() throws InterruptedException {
    CountDownLatch ran = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    ModeClock.Scheduled h =
        clock.schedule(
            clock.nanoTime(),
            () -> {
              runs.incrementAndGet();
              ran.countDown();
            });
    assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    ModeClock.Scheduled again = clock.reschedule(h, clock.nanoTime() + 3_600_000_000_000L, runs::incrementAndGet);
    assertThat(again.cancel()).isTrue();
    // an action due now runs after the cancelled one's slot is gone; it proves the clock went on
    CountDownLatch later = new CountDownLatch(1);
    clock.schedule(clock.nanoTime(), later::countDown);
    assertThat(later.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(runs.get()).isEqualTo(1);
  }

  @Test
  void aHandleOfAnotherClockIsNotReused() {
    ManualClock manual = new ManualClock();
    ModeClock.Scheduled foreign = manual.schedule(manual.nanoTime() + 1_000, () -> {});
    ModeClock.Scheduled mine = clock.reschedule(foreign, clock.nanoTime() + 3_600_000_000_000L, () -> {});
    assertThat(mine).isNotSameAs(foreign);
    assertThat(mine.cancel()).isTrue();
  }
}
