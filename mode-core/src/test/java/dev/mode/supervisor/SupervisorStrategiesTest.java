package dev.mode.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mode.State;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SPEC §6: who stops, who restarts, and in which order, for each strategy (OTP scenarios). */
class SupervisorStrategiesTest {
  final List<String> trace = new CopyOnWriteArrayList<>();
  final Probe a = new Probe("A", trace);
  final Probe b = new Probe("B", trace);
  final Probe c = new Probe("C", trace);
  SupervisorStrategy supervisor;

  @AfterEach
  void stopSupervisor() {
    if (supervisor != null) supervisor.stop();
  }

  private void startWith(SupervisorStrategy s) {
    supervisor = s;
    s.add(a, b, c);
    s.start();
    trace.clear();
  }

  private static void awaitRestarted(Probe p, int times) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> p.restartCount() == times && p.state() == State.RUNNING);
  }

  @Test
  void oneForOneRestartsOnlyTheCrashedService() {
    startWith(new OneForOneSupervisor());
    RuntimeException boom = new RuntimeException("boom");
    b.crash(boom);
    awaitRestarted(b, 1);
    assertThat(trace)
        .containsExactly("B.onStop", "B.onShutdown", "B.onRestart", "B.onStart", "B.onStarted");
    assertThat(List.of(a, b, c)).allMatch(p -> p.state() == State.RUNNING);
    assertThat(a.restartCount()).isZero();
    assertThat(c.restartCount()).isZero();
    assertThat(supervisor.restartsOf(b)).isEqualTo(1);
    assertThat(supervisor.restartsOf(a)).isZero();
    assertThat(supervisor.lastCrashOf(b)).containsSame(boom);
    assertThat(supervisor.lastCrashOf(a)).isEmpty();
    assertThat(supervisor.state()).isEqualTo(State.RUNNING);
  }

  @Test
  void oneForAllStopsAllInReverseThenRestartsAllInOrder() {
    startWith(new OneForAllSupervisor());
    b.crash(new RuntimeException("boom"));
    awaitRestarted(c, 1);
    assertThat(trace)
        .containsExactly(
            "C.onStop", "C.onShutdown", "B.onStop", "B.onShutdown", "A.onStop", "A.onShutdown",
            "A.onRestart", "A.onStart", "A.onStarted",
            "B.onRestart", "B.onStart", "B.onStarted",
            "C.onRestart", "C.onStart", "C.onStarted");
    assertThat(List.of(a, b, c)).allMatch(p -> p.restartCount() == 1 && p.state() == State.RUNNING);
    assertThat(supervisor.totalRestarts()).as("a group restart counts once").isEqualTo(1);
  }

  @Test
  void restForOneRestartsTheCrashedServiceAndThoseAddedAfterIt() {
    startWith(new RestForOneSupervisor());
    b.crash(new RuntimeException("boom"));
    awaitRestarted(c, 1);
    assertThat(trace)
        .containsExactly(
            "C.onStop", "C.onShutdown", "B.onStop", "B.onShutdown",
            "B.onRestart", "B.onStart", "B.onStarted",
            "C.onRestart", "C.onStart", "C.onStarted");
    assertThat(a.restartCount()).isZero();
    assertThat(b.restartCount()).isEqualTo(1);
    assertThat(List.of(a, b, c)).allMatch(p -> p.state() == State.RUNNING);
  }

  @Test
  void restForOneOnTheLastServiceRestartsOnlyIt() {
    startWith(new RestForOneSupervisor());
    c.crash(new RuntimeException("boom"));
    awaitRestarted(c, 1);
    assertThat(trace)
        .containsExactly("C.onStop", "C.onShutdown", "C.onRestart", "C.onStart", "C.onStarted");
  }

  @Test
  void forfeitOneForOneStopsTheCrashedServiceAndLeavesTheOthersRunning() {
    startWith(new ForfeitOneForOneSupervisor());
    RuntimeException boom = new RuntimeException("boom");
    b.crash(boom);
    await().atMost(Duration.ofSeconds(10)).until(() -> trace.contains("B.onShutdown"));
    assertThat(trace).containsExactly("B.onStop", "B.onShutdown");
    assertThat(b.state()).isEqualTo(State.CRASHED);
    assertThat(b.crashReason()).isSameAs(boom);
    assertThat(b.restartCount()).isZero();
    assertThat(a.state()).isEqualTo(State.RUNNING);
    assertThat(c.state()).isEqualTo(State.RUNNING);
    assertThat(supervisor.state()).isEqualTo(State.RUNNING);
  }

  @Test
  void forfeitOneForAllStopsEveryServiceAndRestartsNone() {
    startWith(new ForfeitOneForAllSupervisor());
    b.crash(new RuntimeException("boom"));
    await().atMost(Duration.ofSeconds(10)).until(() -> trace.contains("A.onShutdown"));
    assertThat(trace)
        .containsExactly("C.onStop", "C.onShutdown", "B.onStop", "B.onShutdown", "A.onStop", "A.onShutdown");
    assertThat(a.state()).isEqualTo(State.SHUTDOWN);
    assertThat(b.state()).isEqualTo(State.CRASHED);
    assertThat(c.state()).isEqualTo(State.SHUTDOWN);
    assertThat(List.of(a, b, c)).allMatch(p -> p.restartCount() == 0);
    assertThat(supervisor.state()).isEqualTo(State.RUNNING);
  }

  @Test
  void crashingSupervisorLetsTheCrashPropagateUp() {
    startWith(new CrashingSupervisor());
    RuntimeException boom = new RuntimeException("boom");
    b.crash(boom);
    assertThat(supervisor.state()).as("propagated on the crashing thread").isEqualTo(State.CRASHED);
    assertThat(supervisor.crashReason()).isSameAs(boom);
    assertThat(supervisor.lastCrashOf(b)).containsSame(boom);
    assertThat(b.restartCount()).isZero();
    assertThat(trace).isEmpty();
    supervisor.stop();
    assertThat(a.state()).isEqualTo(State.SHUTDOWN);
    assertThat(b.state()).isEqualTo(State.CRASHED);
  }

  @Test
  void crashingSupervisorIgnoresItsRestartLimitAndEscalatesTheCrashItself() {
    // its docs used to promise "at most N restarts" in the constructor and "no limit" in the class
    startWith(new CrashingSupervisor(0, Duration.ofSeconds(1)));
    assertThat(supervisor.maxRestarts()).as("the limit is reported").isZero();
    RuntimeException first = new RuntimeException("first");
    a.crash(first);
    assertThat(supervisor.crashReason())
        .as("the crash itself goes up, not MaxRestartsExceeded, even with a limit of 0")
        .isSameAs(first);
    assertThat(supervisor.totalRestarts()).isZero();
  }

  @Test
  void aCrashingTaskIsRestartedByItsSupervisor() throws Exception {
    supervisor = new OneForOneSupervisor();
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch fail = new CountDownLatch(1);
    Probe failing = new Probe("Failing", trace) {
      @Override
      protected void onStart() {
        addTask("work", () -> {
          if (runs.incrementAndGet() == 1) {
            fail.await(); // fail once running, not during the start
            throw new IllegalStateException("first run fails");
          }
        });
      }
    };
    supervisor.add(failing);
    supervisor.start();
    fail.countDown();
    awaitRestarted(failing, 1);
    assertThat(supervisor.lastCrashOf(failing).orElseThrow()).hasMessage("first run fails");
    await().until(() -> runs.get() == 2);
  }
}
