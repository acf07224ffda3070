package dev.mode.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mode.Crontab;
import dev.mode.RunInterceptor;
import dev.mode.Service;
import dev.mode.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClusterOnceTest {
  static final long PERIOD_MS = 200;
  /** The fire time of the run on this thread, caught by an interceptor outside the cluster's. */
  static final ThreadLocal<Instant> FIRE = new ThreadLocal<>();

  final ConcurrentMap<Long, AtomicInteger> runsPerSlot = new ConcurrentHashMap<>();
  final List<Service> replicas = new ArrayList<>();
  final String db = "once-" + UUID.randomUUID();
  RunInterceptor.Registration fireTimes;

  /** A replica's job: a 200 ms timer marked once per cluster, counting its runs per fire time. */
  final class Ticker extends Service {
    @Timer("200ms")
    @ClusterOnce(lockAtMostFor = "2s")
    void tick() {
      runsPerSlot.computeIfAbsent(FIRE.get().toEpochMilli() / PERIOD_MS, s -> new AtomicInteger()).incrementAndGet();
    }
  }

  /** The same job added in code. */
  final class CodeTicker extends Service {
    CodeTicker() {
      OncePerCluster.timer(this, "tick", Duration.ofMillis(PERIOD_MS), Duration.ofSeconds(2), Duration.ZERO,
          () -> runsPerSlot.computeIfAbsent(FIRE.get().toEpochMilli() / PERIOD_MS, s -> new AtomicInteger()).incrementAndGet());
    }
  }

  final class Replica extends Service {
    final Cluster cluster;

    Replica(String node, Service job) {
      cluster = addDependency(new Cluster(ClusterStore.jdbc("jdbc:h2:mem:" + db + ";DB_CLOSE_DELAY=-1", "sa", ""), node, Duration.ofSeconds(2)));
      addDependency(job);
    }
  }

  @BeforeEach
  void catchFireTimes() {
    fireTimes = RunInterceptor.install((run, body) -> {
      FIRE.set(run.fireTime());
      try {
        body.run();
      } finally {
        FIRE.remove();
      }
    });
  }

  @AfterEach
  void stopAll() {
    replicas.forEach(Service::stop);
    fireTimes.close();
  }

  /** Every fire time between the first and last counted (both partial) ran exactly once. */
  private void assertEachFireTimeRanOnce(int atLeast) {
    await().atMost(Duration.ofSeconds(20)).until(() -> runsPerSlot.size() >= atLeast);
    replicas.forEach(Service::stop);
    TreeMap<Long, Integer> counts = new TreeMap<>();
    runsPerSlot.forEach((slot, n) -> counts.put(slot, n.get()));
    long first = counts.firstKey() + 1;
    long last = counts.lastKey() - 1;
    Map<Long, Integer> wrong = new TreeMap<>();
    for (long s = first; s <= last; s++) {
      int n = counts.getOrDefault(s, 0);
      if (n != 1) wrong.put(s, n);
    }
    assertThat(wrong).as("fire times (slot -> runs) not run exactly once, of %s", counts).isEmpty();
  }

  @Test
  void anAnnotatedTimerOnThreeReplicasRunsOncePerFireTime() {
    for (String node : List.of("a", "b", "c")) replicas.add(new Replica(node, new Ticker()));
    replicas.forEach(Service::start);
    assertEachFireTimeRanOnce(15);
  }

  @Test
  void aTimerAddedInCodeOnThreeReplicasRunsOncePerFireTime() {
    for (String node : List.of("a", "b", "c")) replicas.add(new Replica(node, new CodeTicker()));
    replicas.forEach(Service::start);
    assertEachFireTimeRanOnce(15);
  }

  @Test
  void aRunMoreThanOneAndAHalfPeriodsLateIsSkipped() throws Exception {
    Ticker job = new Ticker();
    Replica r = new Replica("a", job);
    replicas.add(r);
    r.start();
    OnceInterceptor gate = new OnceInterceptor(r.cluster);
    AtomicInteger ran = new AtomicInteger();
    var method = Ticker.class.getDeclaredMethod("tick");
    Instant stale = Instant.now().minusMillis(2 * PERIOD_MS);
    gate.around(new RunInterceptor.JobRun(job, "tick", "timer", stale, Optional.of(method)), ran::incrementAndGet);
    assertThat(ran).hasValue(0);
    Instant onTime = Instant.now().plusMillis(60_000); // a fire time no timer of this test claims
    gate.around(new RunInterceptor.JobRun(job, "tick", "timer", onTime, Optional.of(method)), ran::incrementAndGet);
    assertThat(ran).hasValue(1);
    gate.around(new RunInterceptor.JobRun(job, "tick", "timer", onTime, Optional.of(method)), ran::incrementAndGet);
    assertThat(ran).as("the same fire time again").hasValue(1);
  }

  static final class BadLock extends Service {
    @Timer("1s")
    @ClusterOnce(lockAtMostFor = "10/m")
    void tick() {}
  }

  static final class CronJob extends Service {
    @Crontab("0 3 * * *")
    @ClusterOnce(lockAtMostFor = "5m", lockAtLeastFor = "1m")
    void nightly() {}
  }

  static final class NotAJob extends Service {
    @ClusterOnce
    void plain() {}
  }

  @Test
  void aBadLockDurationIsRejectedNamingTheMethodAndTheValue() throws Exception {
    assertThatThrownBy(() -> OncePolicy.of(BadLock.class.getDeclaredMethod("tick")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lockAtMostFor")
        .hasMessageContaining("tick")
        .hasMessageContaining("10/m");
    assertThatThrownBy(() -> OncePolicy.of(NotAJob.class.getDeclaredMethod("plain")))
        .hasMessageContaining("needs @Timer or @Crontab");
    assertThatThrownBy(() -> new OncePolicy(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("lockAtLeastFor PT2S");
  }

  @Test
  void aCronJobsFireTimeIsItsMinute() throws Exception {
    OncePolicy p = OncePolicy.of(CronJob.class.getDeclaredMethod("nightly"));
    assertThat(p).isEqualTo(new OncePolicy(Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofMinutes(1)));
  }
}
