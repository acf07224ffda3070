package dev.mode.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mode.Service;
import dev.mode.Task;
import dev.mode.worker.ThreadDump;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, defect 1: several threads looping thread dumps at once, through the admin's {@code
 * /threads} and through the worker's {@link ThreadDump} API, while services' virtual threads come
 * and go. Some JDK builds crashed (SIGSEGV in a thread-snapshot handshake) after ~17,000 concurrent
 * dumps; every dump now passes one process-wide gate. The suite runs it for a few seconds; the long
 * run sets the environment variable {@code MODE_DUMP_STRESS_SECONDS=60} (the forked test JVM inherits
 * the environment) or the system property {@code mode.dumpStress.seconds}.
 */
class ConcurrentThreadDumpTest {
  static final Duration DURATION = Duration.ofSeconds(Long.getLong("mode.dumpStress.seconds",
      Long.parseLong(System.getenv().getOrDefault("MODE_DUMP_STRESS_SECONDS", "4"))));

  /** Starts short-lived virtual threads all the time, so dumps race thread births and deaths. */
  static final class Churn extends Service {
    private final String name;

    Churn(String name) {
      this.name = name;
    }

    @Override
    public String label() {
      return name;
    }

    @Task
    void churn() throws InterruptedException {
      while (!shouldStop()) {
        Thread t = Thread.ofVirtual().start(() -> LockSupport.parkNanos(1_000_000));
        t.join();
      }
    }
  }

  @Test
  void concurrentDumpersThroughTheAdminAndTheWorkerApiRunWithoutACrash() throws Exception {
    Fixtures.App app = new Fixtures.App();
    for (int i = 0; i < 4; i++) app.addDependency(new Churn("Churn" + i));
    AdminService admin = new AdminService(app, Fixtures.options().threadDumpsPerMinute(1_000_000));
    app.start();
    admin.start();
    AtomicLong httpDumps = new AtomicLong();
    AtomicLong apiDumps = new AtomicLong();
    AtomicLong stacks = new AtomicLong();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    long end = System.nanoTime() + DURATION.toNanos();
    List<Thread> dumpers = new ArrayList<>();
    try {
      Http http = new Http(admin.uri());
      for (int i = 0; i < 2; i++) {
        dumpers.add(Thread.ofPlatform().name("http-dumper-" + i).start(() -> {
          while (System.nanoTime() < end) {
            HttpResponse<String> r = http.get("/threads");
            if (r.statusCode() != 200) failures.add("GET /threads answered " + r.statusCode() + ": " + r.body());
            httpDumps.incrementAndGet();
          }
        }));
        dumpers.add(Thread.ofPlatform().name("api-dumper-" + i).start(() -> {
          while (System.nanoTime() < end) {
            if (!ThreadDump.take(app).toText().contains("App/Fetcher:fetch")) failures.add("a dump missed App/Fetcher");
            apiDumps.incrementAndGet();
          }
        }));
      }
      dumpers.add(Thread.ofPlatform().name("stack-taker").start(() -> {
        while (System.nanoTime() < end) {
          for (Thread t : app.fetcher.threads()) ThreadDump.stackOf(t);
          stacks.incrementAndGet();
        }
      }));
      for (Thread t : dumpers) t.join();
    } finally {
      admin.stop();
      app.stop();
    }
    System.out.printf("ConcurrentThreadDumpTest: %s, %d HTTP dumps, %d API dumps, %d single stacks%n",
        DURATION, httpDumps.get(), apiDumps.get(), stacks.get());
    assertThat(failures).isEmpty();
    assertThat(httpDumps.get()).isPositive();
    assertThat(apiDumps.get()).isPositive();
  }
}
