package dev.mode.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mode.Service;
import dev.mode.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Many services crashing at random from many threads under a one-for-one supervisor: every crash is
 * restarted exactly once, or (past the limit) makes the supervisor give up; nothing is lost.
 */
class CrashStormTest {
  static final int SERVICES = 6;
  static final int THREADS = 4;
  static final int CRASHES_PER_THREAD = 40;

  /** Counts, per service, the crashes a supervisor must act on. */
  static final class CrashCounter implements Service.Listener {
    final Map<Service, AtomicInteger> needRestart = new ConcurrentHashMap<>();
    final Map<Service, AtomicInteger> absorbed = new ConcurrentHashMap<>();

    @Override
    public void stateChanged(Service service, State from, State to) {
      if (to != State.CRASHED || service instanceof SupervisorStrategy) return;
      // RUNNING/INIT -> CRASHED is reported to the supervisor; STARTING -> CRASHED fails its restart;
      // STOPPING -> CRASHED happens inside a restart's stop, which the restart itself covers
      Map<Service, AtomicInteger> into = from == State.STOPPING ? absorbed : needRestart;
      into.computeIfAbsent(service, s -> new AtomicInteger()).incrementAndGet();
    }

    int needRestart(Service s) {
      AtomicInteger n = needRestart.get(s);
      return n == null ? 0 : n.get();
    }
  }

  // crashes random services from THREADS threads, until each made `attempts` crashes or the
  // supervisor gave up; most crashes wait (briefly) for their victim to run again, the others hit
  // it in whatever state it is (restarting, stopping, crashed)
  private static List<Probe> storm(long seed, SupervisorStrategy sup, CrashCounter counter, int attempts)
      throws Exception {
    List<Probe> probes = new ArrayList<>();
    for (int i = 0; i < SERVICES; i++) probes.add(new Probe("S" + i));
    sup.add(probes.toArray(new Service[0]));
    sup.addListener(counter);
    sup.start();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      Random random = new Random(seed * 31 + t);
      threads.add(Thread.ofPlatform().start(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < attempts && sup.state() == State.RUNNING; i++) {
          Probe victim = probes.get(random.nextInt(SERVICES));
          if (random.nextInt(4) != 0) {
            long deadline = System.nanoTime() + 50_000_000L;
            while (victim.state() != State.RUNNING && System.nanoTime() - deadline < 0) Thread.yield();
          }
          for (int spin = random.nextInt(2000); spin > 0; spin--) Thread.onSpinWait();
          victim.crash(new RuntimeException("storm crash " + i + " of thread " + Thread.currentThread().getName()));
        }
      }));
    }
    go.countDown();
    for (Thread t : threads) t.join();
    return probes;
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 42, 1234})
  void everyCrashIsRestartedExactlyOnce(long seed) throws Exception {
    OneForOneSupervisor sup = new OneForOneSupervisor(1_000_000, Duration.ofHours(1));
    CrashCounter counter = new CrashCounter();
    try {
      List<Probe> probes = storm(seed, sup, counter, CRASHES_PER_THREAD);
      await("all restarted, seed " + seed)
          .atMost(Duration.ofSeconds(30))
          .until(() -> probes.stream().allMatch(p -> p.state() == State.RUNNING && sup.restartsOf(p) == counter.needRestart(p)));
      int total = 0;
      for (Probe p : probes) {
        assertThat(p.restartCount())
            .as("seed %d: %s was restarted once per crash and by nobody else", seed, p.name)
            .isEqualTo(sup.restartsOf(p))
            .isEqualTo(counter.needRestart(p));
        total += counter.needRestart(p);
      }
      assertThat(sup.totalRestarts()).as("seed %d: total restarts", seed).isEqualTo(total);
      assertThat(total).as("seed %d: the storm crashed something", seed).isPositive();
      assertThat(sup.state()).as("seed %d", seed).isEqualTo(State.RUNNING);
    } finally {
      sup.stop();
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {7, 8, 9})
  void pastTheLimitTheSupervisorGivesUpAfterExactlyMaxRestarts(long seed) throws Exception {
    int limit = 25;
    OneForOneSupervisor sup = new OneForOneSupervisor(limit, Duration.ofHours(1));
    CrashCounter counter = new CrashCounter();
    try {
      List<Probe> probes = storm(seed, sup, counter, 10_000);
      await("gave up, seed " + seed).atMost(Duration.ofSeconds(30)).until(() -> sup.state() == State.CRASHED);
      assertThat(sup.crashReason()).as("seed %d", seed).isInstanceOf(MaxRestartsExceeded.class);
      assertThat(sup.totalRestarts()).as("seed %d: restarts made before giving up", seed).isEqualTo(limit);
      int sum = 0;
      for (Probe p : probes) {
        sum += sup.restartsOf(p);
        assertThat(p.restartCount()).as("seed %d: %s restarted by the supervisor only", seed, p.name).isEqualTo(sup.restartsOf(p));
        assertThat(p.state()).as("seed %d: %s stopped when the supervisor gave up", seed, p.name).isIn(State.SHUTDOWN, State.CRASHED);
      }
      assertThat(sum).as("seed %d", seed).isEqualTo(limit);
    } finally {
      sup.stop();
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {11, 12, 13})
  void underOneForAllEveryCrashEndsInAGroupRestartAndAllRunAgain(long seed) throws Exception {
    OneForAllSupervisor sup = new OneForAllSupervisor(1_000_000, Duration.ofHours(1));
    CrashCounter counter = new CrashCounter();
    try {
      List<Probe> probes = storm(seed, sup, counter, CRASHES_PER_THREAD);
      await("all running again, seed " + seed)
          .atMost(Duration.ofSeconds(30))
          .until(() -> probes.stream().allMatch(p -> p.state() == State.RUNNING));
      int crashes = probes.stream().mapToInt(counter::needRestart).sum();
      for (Probe p : probes) {
        assertThat(p.restartCount())
            .as("seed %d: %s restarted by the supervisor only", seed, p.name)
            .isEqualTo(sup.restartsOf(p));
      }
      assertThat(sup.totalRestarts())
          .as("seed %d: crashes during one group restart share it", seed)
          .isPositive()
          .isLessThanOrEqualTo(crashes);
      assertThat(sup.state()).as("seed %d", seed).isEqualTo(State.RUNNING);
    } finally {
      sup.stop();
    }
  }
}
