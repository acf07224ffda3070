package dev.mode.time;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mode.Service;
import dev.mode.State;
import dev.mode.Timer;
import dev.mode.supervisor.Backoff;
import dev.mode.supervisor.MaxRestartsExceeded;
import dev.mode.supervisor.OneForAllSupervisor;
import dev.mode.supervisor.OneForOneSupervisor;
import dev.mode.supervisor.RestForOneSupervisor;
import dev.mode.supervisor.SupervisorStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ManualClock#advance} returns only once what it set off has settled, supervisors' restarts
 * and back-off included, so a test reads the result on the next line without waiting or polling.
 */
class ManualClockSettleTest {
  final ManualClock clock = new ManualClock();
  final List<Service> started = new ArrayList<>();

  @AfterEach
  void stopAll() {
    for (int i = started.size() - 1; i >= 0; i--) started.get(i).stop();
  }

  /** A service whose 1 s timer crashes it on the runs listed (counted across restarts, from 1). */
  static final class Flaky extends Service {
    final String name;
    final Set<Integer> crashOn;
    final AtomicInteger runs = new AtomicInteger();

    Flaky(String name, Set<Integer> crashOn) {
      this.name = name;
      this.crashOn = crashOn;
    }

    @Timer("1s")
    void tick() {
      if (crashOn.contains(runs.incrementAndGet())) throw new IllegalStateException(name + " failed run " + runs.get());
    }

    @Override
    public String label() {
      return name;
    }
  }

  /** A Flaky whose restart takes a while, as a reconnect does: a race with the restart is lost every time. */
  static final class SlowToRestart extends Service {
    final AtomicInteger runs = new AtomicInteger();

    @Timer("1s")
    void tick() {
      if (runs.incrementAndGet() == 1) throw new IllegalStateException("first run fails");
    }

    @Override
    protected void onRestart() throws InterruptedException {
      Thread.sleep(200); // stands for slow work in the restart, not for waiting on anything
    }
  }

  private <S extends Service> S start(S s) {
    s.setClock(clock);
    s.start();
    started.add(s);
    return s;
  }

  @Test
  void advanceReturnsAfterTheSupervisorHasRestartedTheServiceItsTimerCrashed() {
    // regression: advance returned when the timer run ended, before the supervisor's restart
    SlowToRestart slow = new SlowToRestart();
    OneForOneSupervisor supervisor = new OneForOneSupervisor();
    supervisor.add(slow);
    start(supervisor);

    clock.advance(Duration.ofSeconds(1));

    assertThat(slow.state()).isEqualTo(State.RUNNING);
    assertThat(slow.restartCount()).isEqualTo(1);
    assertThat(supervisor.restartsOf(slow)).isEqualTo(1);
  }

  @Test
  void crashBackoffRestartIsThreeLinesWithoutWaiting() {
    Flaky flaky = new Flaky("Flaky", Set.of(1));
    OneForOneSupervisor supervisor = new OneForOneSupervisor();
    supervisor.setBackoff(Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(8)));
    supervisor.add(flaky);
    start(supervisor);

    clock.advance(Duration.ofSeconds(1)); // the timer crashes it: stopped, restart due in 1 s
    assertThat(flaky.state()).isEqualTo(State.CRASHED);
    clock.advance(Duration.ofMillis(999));
    assertThat(flaky.restartCount()).as("not before the back-off delay").isZero();
    clock.advance(Duration.ofMillis(1));
    assertThat(flaky.state()).isEqualTo(State.RUNNING);
    assertThat(flaky.restartCount()).isEqualTo(1);
  }

  @Test
  void aBackoffEndingInsideOneAdvanceIsWaitedForToo() {
    Flaky flaky = new Flaky("Flaky", Set.of(1));
    OneForOneSupervisor supervisor = new OneForOneSupervisor();
    supervisor.setBackoff(Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(8)));
    supervisor.add(flaky);
    start(supervisor);

    clock.advance(Duration.ofSeconds(3)); // crash at 1 s, restart at 2 s, first run after it at 3 s

    assertThat(flaky.state()).isEqualTo(State.RUNNING);
    assertThat(flaky.restartCount()).isEqualTo(1);
    assertThat(flaky.runs.get()).isEqualTo(2);
  }

  @Test
  void givingUpIsSettledUpToTheOuterSupervisor() {
    Flaky flaky = new Flaky("Flaky", Set.of(1, 2));
    OneForOneSupervisor inner = new OneForOneSupervisor(1, Duration.ofMinutes(1));
    inner.add(flaky);
    OneForOneSupervisor outer = new OneForOneSupervisor();
    outer.add(inner);
    start(outer);

    clock.advance(Duration.ofSeconds(1)); // crash 1: restarted
    assertThat(flaky.restartCount()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1)); // crash 2: inner gives up, outer restarts inner

    assertThat(inner.restartCount()).isEqualTo(1);
    assertThat(inner.state()).isEqualTo(State.RUNNING);
    assertThat(flaky.state()).isEqualTo(State.RUNNING);
    assertThat(outer.lastCrashOf(inner)).get().isInstanceOf(MaxRestartsExceeded.class);
  }

  /**
   * Any mix of strategies, crash schedules and back-off gives, after each advance, a quiet tree (no
   * service half-way through a start or stop) and the same history for the same seed.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
  void randomSupervisedCrashesSettleAfterEveryAdvanceAndReplayTheSameForTheSameSeed(long seed) {
    List<String> first = canonical(runScenario(seed));
    List<String> second = canonical(runScenario(seed));
    assertThat(second).as("seed %d: the same history on a second run", seed).isEqualTo(first);
  }

  // Timers of different services due at the same instant run at once on their own threads, so the
  // order in which their changes at one instant are heard is not the schedule's: within one instant,
  // order the lines by service, keeping each service's own order (stable sort).
  private static List<String> canonical(List<String> history) {
    List<String> out = new ArrayList<>(history.size());
    int i = 0;
    while (i < history.size()) {
      String at = instant(history.get(i));
      int j = i + 1;
      if (at != null) {
        while (j < history.size() && at.equals(instant(history.get(j)))) j++;
      }
      List<String> group = new ArrayList<>(history.subList(i, j));
      group.sort(Comparator.comparing(line -> line.split(" ")[1]));
      out.addAll(group);
      i = j;
    }
    return out;
  }

  private static String instant(String line) {
    int space = line.indexOf(' ');
    return space > 2 && line.startsWith("ms", space - 2) && Character.isDigit(line.charAt(0)) ? line.substring(0, space) : null;
  }

  private List<String> runScenario(long seed) {
    Random random = new Random(seed);
    ManualClock c = new ManualClock();
    SupervisorStrategy supervisor =
        switch (random.nextInt(3)) {
          case 0 -> new OneForOneSupervisor(100, Duration.ofHours(1));
          case 1 -> new OneForAllSupervisor(100, Duration.ofHours(1));
          default -> new RestForOneSupervisor(100, Duration.ofHours(1));
        };
    if (random.nextBoolean()) {
      supervisor.setBackoff(
          Backoff.exponential(Duration.ofMillis(100 + random.nextInt(900)), Duration.ofSeconds(1 + random.nextInt(4))));
    }
    int n = 1 + random.nextInt(4);
    List<Flaky> children = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Set<Integer> crashOn = ConcurrentHashMap.newKeySet();
      for (int k = 1; k <= 12; k++) if (random.nextInt(4) == 0) crashOn.add(k);
      children.add(new Flaky("C" + i, crashOn));
    }
    supervisor.add(children.toArray(new Service[0]));
    List<String> history = new CopyOnWriteArrayList<>();
    supervisor.addListener(
        new Service.Listener() {
          @Override
          public void stateChanged(Service service, State from, State to) {
            history.add(c.elapsed().toMillis() + "ms " + service.label() + " " + from + "->" + to);
          }
        });
    supervisor.setClock(c);
    supervisor.start();
    try {
      for (int step = 0; step < 20; step++) {
        Duration d = Duration.ofMillis(random.nextInt(2500));
        c.advance(d);
        history.add("advanced " + d.toMillis() + "ms");
        for (Flaky f : children) {
          State s = f.state();
          assertThat(s)
              .as("seed %d, step %d: %s settled (history: %s)", seed, step, f.label(), history)
              .isIn(State.RUNNING, State.CRASHED, State.SHUTDOWN);
          history.add(f.label() + " " + s + " restarts=" + f.restartCount() + " runs=" + f.runs.get());
        }
        assertThat(supervisor.state()).as("seed %d, step %d: supervisor", seed, step).isEqualTo(State.RUNNING);
      }
    } finally {
      supervisor.stop();
    }
    return history;
  }
}
