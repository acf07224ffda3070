package dev.mode.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.mode.Service;
import dev.mode.ServiceException;
import dev.mode.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Adding services, replacement, nesting, the supervisor's own stop, and what it logs. */
class SupervisorLifecycleTest {
  final List<Service> toStop = new ArrayList<>();

  @AfterEach
  void stopAll() {
    for (Service s : toStop) s.stop();
  }

  private <S extends Service> S started(S s) {
    toStop.add(s);
    s.start();
    return s;
  }

  private static void awaitRestarted(Service p, int times) {
    await().atMost(Duration.ofSeconds(10)).until(() -> p.restartCount() == times && p.state() == State.RUNNING);
  }

  static final class App extends OneForOneSupervisor {
    final Probe db = new Probe("Db");
    final Probe web = new Probe("Web");

    App() {
      add(db, web);
    }
  }

  @Test
  void servicesAddedInTheConstructorAreSupervisedDependencies() {
    App app = started(new App());
    assertThat(app.dependencies()).containsExactly(app.db, app.web);
    assertThat(app.supervised()).containsExactly(app.db, app.web);
    assertThat(app.db.state()).isEqualTo(State.RUNNING);
    assertThat(app.db.beacon().path()).isEqualTo("App/Db");
    app.web.crash(new RuntimeException("boom"));
    awaitRestarted(app.web, 1);
  }

  @Test
  void aServiceAddedAfterStartIsStartedAtOnceAndSupervised() {
    OneForOneSupervisor sup = started(new OneForOneSupervisor());
    Probe late = new Probe("Late");
    sup.add(late);
    assertThat(late.state()).as("add returns once it runs").isEqualTo(State.RUNNING);
    late.crash(new RuntimeException("boom"));
    awaitRestarted(late, 1);
    assertThat(sup.restartsOf(late)).isEqualTo(1);
  }

  @Test
  void aDependencyAddedDirectlyIsSupervisedToo() {
    OneForOneSupervisor sup = new OneForOneSupervisor();
    Probe direct = sup.addDependency(new Probe("Direct"));
    Probe added = new Probe("Added");
    sup.add(added);
    started(sup);
    direct.crash(new RuntimeException("boom"));
    awaitRestarted(direct, 1);
    assertThat(sup.supervised()).contains(direct, added);
  }

  @Test
  void addingTheSameServiceTwiceSupervisesItOnce() {
    OneForOneSupervisor sup = new OneForOneSupervisor();
    Probe p = new Probe("P");
    sup.add(p, p);
    sup.add(p);
    assertThat(sup.supervised()).containsExactly(p);
    assertThat(sup.dependencies()).containsExactly(p);
  }

  @Test
  void badArgumentsToAddAreRejectedWithAClearMessage() {
    OneForOneSupervisor sup = new OneForOneSupervisor();
    assertThatThrownBy(() -> sup.add((Service[]) null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> sup.add(new Probe("A"), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("argument 1 of 2");
    assertThatThrownBy(() -> sup.add(sup))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("supervise itself");
    OneForOneSupervisor other = new OneForOneSupervisor();
    Probe owned = new Probe("Owned");
    other.add(owned);
    assertThatThrownBy(() -> sup.add(owned)).isInstanceOf(IllegalStateException.class);
    assertThat(sup.supervised()).isEmpty();
    assertThatThrownBy(() -> sup.restartsOf(owned))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not supervised by");
  }

  @Test
  void aServiceThatFailsToStartWhenAddedIsNotKept() {
    OneForOneSupervisor sup = started(new OneForOneSupervisor());
    Probe broken = new Probe("Broken");
    broken.failingStarts.set(1);
    assertThatThrownBy(() -> sup.add(broken)).isInstanceOf(ServiceException.class);
    assertThat(sup.supervised()).isEmpty();
    assertThat(sup.dependencies()).isEmpty();
    assertThat(broken.parent()).isEmpty();
    assertThat(sup.state()).isEqualTo(State.RUNNING);
  }

  @Test
  void aReplacementFactoryPutsANewServiceInTheOldOnesPlace() {
    List<String> trace = new CopyOnWriteArrayList<>();
    Probe a = new Probe("A", trace);
    Probe b = new Probe("B", trace);
    Probe c = new Probe("C", trace);
    List<Integer> indexes = new CopyOnWriteArrayList<>();
    RestForOneSupervisor sup = new RestForOneSupervisor();
    sup.setReplacement((old, index) -> {
      indexes.add(index);
      return old == b ? new Probe("B2", trace) : old;
    });
    sup.add(a, b, c);
    started(sup);
    b.crash(new RuntimeException("boom"));
    await().atMost(Duration.ofSeconds(10)).until(() -> c.restartCount() == 1 && c.state() == State.RUNNING);

    Service b2 = sup.supervised().get(1);
    assertThat(b2.label()).isEqualTo("B2");
    assertThat(sup.supervised()).containsExactly(a, b2, c);
    assertThat(b2.state()).isEqualTo(State.RUNNING);
    assertThat(b2.parent()).contains(sup);
    assertThat(b.parent()).as("the old service is detached").isEmpty();
    assertThat(b.state()).isEqualTo(State.CRASHED);
    assertThat(sup.dependencies()).containsExactly(a, c, b2);
    assertThat(sup.restartsOf(b2)).as("the count goes with the place").isEqualTo(1);
    assertThat(indexes).containsExactly(1, 2);
    assertThat(trace).containsSubsequence("B.onShutdown", "B2.onStart", "C.onRestart", "C.onStart");
  }

  @Test
  void aFailingReplacementFactoryCountsAsACrash() {
    Probe a = new Probe("A");
    OneForOneSupervisor sup = new OneForOneSupervisor(2, Duration.ofMinutes(1));
    sup.setReplacement((old, index) -> {
      throw new IllegalStateException("no replacement today");
    });
    sup.add(a);
    started(sup);
    a.crash(new RuntimeException("boom"));
    await().atMost(Duration.ofSeconds(10)).until(() -> sup.state() == State.CRASHED);
    assertThat(sup.crashReason()).isInstanceOf(MaxRestartsExceeded.class).hasRootCauseMessage("no replacement today");
    assertThat(sup.restartsOf(a)).isEqualTo(2);
  }

  @Test
  void anInnerSupervisorThatGivesUpIsRestartedByItsOuterSupervisor() {
    Probe worker = new Probe("Worker");
    OneForOneSupervisor inner = new OneForOneSupervisor(0, Duration.ofSeconds(5)) {
      @Override
      public String label() {
        return "Inner";
      }
    };
    inner.add(worker);
    OneForOneSupervisor outer = new OneForOneSupervisor(3, Duration.ofSeconds(5));
    outer.add(inner);
    started(outer);

    worker.crash(new RuntimeException("boom"));
    awaitRestarted(inner, 1);
    awaitRestarted(worker, 1);
    assertThat(outer.lastCrashOf(inner).orElseThrow())
        .isInstanceOf(MaxRestartsExceeded.class)
        .hasMessageContaining("Inner/Worker");
    assertThat(outer.state()).isEqualTo(State.RUNNING);
    assertThat(inner.restartsOf(worker)).isZero();
  }

  @Test
  void anEscalationWithoutAnOuterSupervisorCrashesTheRoot() {
    Service root = new Service() {};
    Probe worker = new Probe("Worker");
    OneForOneSupervisor sup = root.addDependency(new OneForOneSupervisor(0, Duration.ofSeconds(5)));
    sup.add(worker);
    started(root);
    worker.crash(new RuntimeException("boom"));
    await().atMost(Duration.ofSeconds(10)).until(() -> root.state() == State.CRASHED);
    assertThat(root.crashReason()).isInstanceOf(MaxRestartsExceeded.class);
  }

  @Test
  void noRestartWhileTheSupervisorIsStopping() {
    Probe a = new Probe("A");
    Probe b = new Probe("B") {
      @Override
      protected void onStop() {
        a.crash(new RuntimeException("crash during the supervisor's stop")); // A is still running
      }
    };
    OneForOneSupervisor sup = new OneForOneSupervisor();
    sup.add(a, b);
    sup.start();
    sup.stop();
    assertThat(sup.state()).isEqualTo(State.SHUTDOWN);
    assertThat(a.state()).isEqualTo(State.CRASHED);
    assertThat(a.restartCount()).isZero();
    assertThat(sup.restartsOf(a)).isZero();
    assertThat(sup.lastCrashOf(a)).isPresent();
  }

  @Test
  void aRestartedSupervisorSupervisesAgain() {
    Probe a = new Probe("A");
    OneForOneSupervisor sup = new OneForOneSupervisor();
    sup.add(a);
    started(sup);
    sup.restart();
    a.crash(new RuntimeException("boom"));
    awaitRestarted(a, 2);
    assertThat(sup.restartsOf(a)).isEqualTo(1);
  }

  @Test
  void logsRestartsAndGivingUpInModesWords() {
    Logger logger = (Logger) LoggerFactory.getLogger(OneForOneSupervisor.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      Probe a = new Probe("A");
      OneForOneSupervisor sup = new OneForOneSupervisor(1, Duration.ofMinutes(1));
      sup.add(a);
      started(sup);
      a.crash(new RuntimeException("first"));
      awaitRestarted(a, 1);
      a.crash(new RuntimeException("second"));
      await().atMost(Duration.ofSeconds(10)).until(() -> sup.state() == State.CRASHED);
      List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
      assertThat(lines)
          .anyMatch(l -> l.startsWith("[^OneForOneSupervisor]: Restarting dead OneForOneSupervisor/A! Last crash reason: java.lang.RuntimeException: first"))
          .anyMatch(l -> l.startsWith("[^OneForOneSupervisor]: Max restarts exceeded: OneForOneSupervisor/A"));
    } finally {
      logger.detachAppender(appender);
    }
  }

  @Test
  void removeStopsAServiceAndNoLongerSupervisesIt() {
    Probe a = new Probe("A");
    Probe b = new Probe("B");
    OneForOneSupervisor sup = new OneForOneSupervisor();
    sup.add(a, b);
    started(sup);
    sup.remove(a);
    assertThat(a.state()).isEqualTo(State.SHUTDOWN);
    assertThat(a.parent()).isEmpty();
    assertThat(sup.supervised()).containsExactly(b);
    assertThat(sup.dependencies()).containsExactly(b);
    assertThatThrownBy(() -> sup.remove(a)).isInstanceOf(IllegalArgumentException.class);
  }
}
