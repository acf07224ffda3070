package dev.mode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mode.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** RunInterceptor: the one hook around timer and cron runs (tracing, once-per-cluster locks). */
class RunInterceptorTest {

  static class Ticker extends Service {
    final AtomicInteger ran = new AtomicInteger();

    @Timer("10s")
    void tick() {
      ran.incrementAndGet();
    }
  }

  @Test
  void interceptorsNestInInstallOrderAndSeeTheTimersSlotAsFireTime() {
    ManualClock clock = new ManualClock(Instant.parse("2026-12-01T00:00:00Z"));
    Ticker t = new Ticker();
    t.setClock(clock);
    List<String> seen = new CopyOnWriteArrayList<>();
    try (RunInterceptor.Registration outer =
            RunInterceptor.install(
                (run, body) -> {
                  seen.add("outer " + run.kind() + " " + run.name() + " " + run.fireTime() + " " + run.method().map(m -> m.getName()).orElse("-"));
                  body.run();
                  seen.add("outer done");
                });
        RunInterceptor.Registration inner =
            RunInterceptor.install(
                (run, body) -> {
                  seen.add("inner");
                  body.run();
                })) {
      t.start();
      clock.advance(Duration.ofSeconds(10));
      assertThat(t.ran).hasValue(1);
      assertThat(seen)
          .containsExactly("outer timer tick 2026-12-01T00:00:10Z tick", "inner", "outer done");
    } finally {
      t.stop();
    }
  }

  @Test
  void anInterceptorThatDoesNotCallTheBodySkipsTheRunButTheTimerGoesOn() {
    ManualClock clock = new ManualClock(Instant.parse("2026-12-01T00:00:00Z"));
    Ticker t = new Ticker();
    t.setClock(clock);
    AtomicInteger calls = new AtomicInteger();
    try (RunInterceptor.Registration r =
        RunInterceptor.install(
            (run, body) -> {
              if (calls.incrementAndGet() % 2 == 0) body.run();
            })) {
      t.start();
      clock.advance(Duration.ofSeconds(40));
      assertThat(calls).hasValue(4);
      assertThat(t.ran).hasValue(2);
      assertThat(t.timers().get(0).runs()).isEqualTo(4);
    } finally {
      t.stop();
    }
  }

  @Test
  void aClosedRegistrationNoLongerInterceptsAndClosingTwiceIsHarmless() {
    ManualClock clock = new ManualClock(Instant.parse("2026-12-01T00:00:00Z"));
    Ticker t = new Ticker();
    t.setClock(clock);
    AtomicInteger calls = new AtomicInteger();
    RunInterceptor.Registration r = RunInterceptor.install((run, body) -> {
      calls.incrementAndGet();
      body.run();
    });
    try {
      t.start();
      clock.advance(Duration.ofSeconds(10));
      r.close();
      r.close();
      clock.advance(Duration.ofSeconds(10));
      assertThat(calls).hasValue(1);
      assertThat(t.ran).hasValue(2);
    } finally {
      t.stop();
    }
  }
}
