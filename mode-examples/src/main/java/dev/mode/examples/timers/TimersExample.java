package dev.mode.examples.timers;

import dev.mode.Crontab;
import dev.mode.Service;
import dev.mode.Task;
import dev.mode.Timer;
import dev.mode.TimerInfo;
import dev.mode.time.ManualClock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** docs/tasks-and-timers.md: tasks, timers, cron, and testing them on a manual clock. */
public final class TimersExample {
  private TimersExample() {}

  static class Consumer extends Service {
    final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
    final AtomicInteger handled = new AtomicInteger();
    final AtomicInteger heartbeats = new AtomicInteger();

    /** Runs once per start on its own virtual thread; interrupted at stop. */
    @Task
    void consume() throws InterruptedException {
      while (!shouldStop()) {
        String message = queue.take(); // blocking is fine: this is a virtual thread
        handled.incrementAndGet();
        log.debug("handled {}", message);
      }
    }

    /** Every 5 seconds; execFirst runs it once at start as well. */
    @Timer(value = "5s", execFirst = true)
    void heartbeat() {
      heartbeats.incrementAndGet();
    }

    /** At 03:00 every day, Oslo time. */
    @Crontab(value = "0 3 * * *", zone = "Europe/Oslo")
    void compact() {
      log.info("compacting");
    }

    @Override
    protected void onFirstStart() {
      // programmatic forms of the same
      addTimer("report", Duration.ofMinutes(1), () -> log.info("{} handled", handled.get()));
      addCron("weekly", "0 4 * * SUN", ZoneId.of("UTC"), () -> log.info("weekly job"));
    }
  }

  public static void main(String[] args) {
    // Drive time by hand, as a test would.
    ManualClock clock = new ManualClock();
    Consumer consumer = new Consumer();
    consumer.setClock(clock);
    consumer.start();
    consumer.queue.add("hello");

    clock.advance(Duration.ofSeconds(15)); // the heartbeat runs at 5, 10 and 15 s
    System.out.println("heartbeats: " + consumer.heartbeats.get()); // 4: once at start (execFirst)

    for (TimerInfo t : consumer.timers()) {
      System.out.printf("%-9s %-5s %-28s runs=%d next=%s%n",
          t.name(), t.kind(), t.schedule(), t.runs(), t.nextRun().orElse(null));
    }
    consumer.stop(); // interrupts consume(), cancels the timers
  }
}
