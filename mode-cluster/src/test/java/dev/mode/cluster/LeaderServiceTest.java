package dev.mode.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mode.Service;
import dev.mode.State;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LeaderServiceTest {
  static final Duration LEASE = Duration.ofMillis(1500);

  /** A leader-only service that records when it ran, by replica. */
  static final class Recorder extends Service {
    final String node;
    final List<long[]> periods;
    private long startedAt;

    Recorder(String node, List<long[]> periods) {
      this.node = node;
      this.periods = periods;
    }

    @Override
    protected void onStart() {
      startedAt = System.nanoTime();
    }

    @Override
    protected void onShutdown() {
      periods.add(new long[] {startedAt, System.nanoTime(), node.hashCode()});
    }
  }

  /** One replica: its own service tree with a cluster member and a leader service. */
  static final class Replica extends Service {
    final Cluster cluster;
    final LeaderService leader;
    final Recorder recorder;

    Replica(String db, String node, List<long[]> periods) {
      cluster = addDependency(new Cluster(ClusterStore.jdbc("jdbc:h2:mem:" + db + ";DB_CLOSE_DELAY=-1", "sa", ""), node, LEASE));
      recorder = new Recorder(node, periods);
      leader = addDependency(new LeaderService("billing", recorder));
    }

    @Override
    public String label() {
      return "Replica-" + cluster.nodeId();
    }
  }

  final List<Replica> replicas = new ArrayList<>();
  final List<long[]> periods = Collections.synchronizedList(new ArrayList<>());
  final String db = "leader-" + UUID.randomUUID();

  @AfterEach
  void stopAll() {
    replicas.forEach(Service::stop);
  }

  Replica replica(String node) {
    Replica r = new Replica(db, node, periods);
    replicas.add(r);
    r.start();
    return r;
  }

  List<Replica> leaders() {
    return replicas.stream().filter(r -> r.leader.isLeader()).toList();
  }

  @Test
  void exactlyOneOfThreeReplicasRunsTheLeaderOnlyServices() {
    replica("a");
    replica("b");
    replica("c");
    await().atMost(Duration.ofSeconds(10)).until(() -> leaders().size() == 1);
    Replica leader = leaders().get(0);
    await().atMost(Duration.ofSeconds(10)).until(() -> leader.recorder.state() == State.RUNNING);
    assertThat(replicas).filteredOn(r -> r != leader)
        .allSatisfy(r -> {
          assertThat(r.recorder.state()).isEqualTo(State.INIT);
          assertThat(r.leader.dependencies()).doesNotContain(r.recorder);
        });
    assertThat(leader.leader.dependencies()).contains(leader.recorder);
  }

  @Test
  void whenTheLeaderStopsAnotherReplicaTakesOverAndTheirLeadershipsNeverOverlap() {
    replica("a");
    replica("b");
    await().atMost(Duration.ofSeconds(10)).until(() -> leaders().size() == 1);
    Replica first = leaders().get(0);
    first.stop();
    Replica second = replicas.stream().filter(r -> r != first).findFirst().orElseThrow();
    await().atMost(Duration.ofSeconds(10)).until(() -> second.recorder.state() == State.RUNNING);
    second.stop();
    assertThat(periods).hasSize(2);
    long[] p1 = periods.get(0);
    long[] p2 = periods.get(1);
    assertThat(p1[1]).as("the first leader's services stopped before the second's started").isLessThan(p2[0]);
    assertThat(first.leader.transitions()).isEqualTo(2);
  }

  @Test
  void aLeaderWhoseLeaseIsTakenInTheStoreStepsDownAndStopsItsServices() throws Exception {
    Replica r = replica("a");
    await().atMost(Duration.ofSeconds(10)).until(() -> r.recorder.state() == State.RUNNING);
    // Another replica's claim, as after a pause longer than the lease: the renewal is refused.
    try (Connection c = java.sql.DriverManager.getConnection("jdbc:h2:mem:" + db, "sa", "");
        Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE mode_cluster_lock SET locked_by = 'intruder', lock_until = DATEADD('SECOND', 3600, CURRENT_TIMESTAMP) WHERE name = 'leader:billing'");
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> r.recorder.state() == State.SHUTDOWN);
    assertThat(r.leader.isLeader()).isFalse();
    assertThat(r.leader.dependencies()).doesNotContain(r.recorder);
    assertThat(r.leader.transitions()).isEqualTo(2);
  }

  @Test
  void aLeaderThatRegainsTheLeaseStartsItsServicesAgain() throws Exception {
    Replica r = replica("a");
    await().atMost(Duration.ofSeconds(10)).until(() -> r.recorder.state() == State.RUNNING);
    try (Connection c = java.sql.DriverManager.getConnection("jdbc:h2:mem:" + db, "sa", "");
        Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE mode_cluster_lock SET locked_by = 'intruder' WHERE name = 'leader:billing'");
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> r.leader.transitions() >= 2);
    await().atMost(Duration.ofSeconds(10)).until(() -> r.leader.transitions() == 3 && r.recorder.state() == State.RUNNING);
    assertThat(r.leader.isLeader()).isTrue();
  }

  @Test
  void aTimerRunOfALeaderOnlyServiceIsSkippedWhenTheLeaseIsNotValid() throws Exception {
    // As on a replica resumed after a pause: its leader-only timer fires before the step-down.
    Service root = new Service() {};
    Cluster cluster = root.addDependency(new Cluster(ClusterStore.jdbc("jdbc:h2:mem:" + db + ";DB_CLOSE_DELAY=-1", "sa", ""), "a", LEASE));
    LeaderService leader = new LeaderService("billing");
    Service leaderOnly = leader.addDependency(new Service() {});
    root.addDependency(leader);
    cluster.start();
    try {
      OnceInterceptor gate = new OnceInterceptor(cluster);
      java.util.concurrent.atomic.AtomicInteger ran = new java.util.concurrent.atomic.AtomicInteger();
      gate.around(new dev.mode.RunInterceptor.JobRun(leaderOnly, "send", "timer", java.time.Instant.now(), java.util.Optional.empty()), ran::incrementAndGet);
      assertThat(ran).as("leader-only run without a valid lease").hasValue(0);
      gate.around(new dev.mode.RunInterceptor.JobRun(root, "send", "timer", java.time.Instant.now(), java.util.Optional.empty()), ran::incrementAndGet);
      assertThat(ran).as("a run outside any leader service").hasValue(1);
      assertThat(LeaderService.holdsLeadership(leaderOnly)).isFalse();
      assertThat(LeaderService.holdsLeadership(root)).isTrue();
    } finally {
      cluster.stop();
    }
  }

  @Test
  void aLeaderServiceWithoutARunningClusterSaysWhatItNeeds() {
    LeaderService alone = new LeaderService("orphan");
    assertThatThrownBy(alone::start).hasMessageContaining("needs a running Cluster").hasMessageContaining("--cluster-store");
  }

  @Test
  void aLeaseTooShortIsRejectedNamingTheValue() {
    assertThatThrownBy(() -> new Cluster(ClusterStore.h2InMemory(), "a", Duration.ofMillis(10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT0.01S")
        .hasMessageContaining("at least 300ms");
  }

  @Test
  void aStoreUrlThatIsNotJdbcIsRejectedNamingTheAcceptedForms() {
    assertThatThrownBy(() -> ClusterStore.jdbc("postgres://db/app", null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("postgres://db/app")
        .hasMessageContaining("jdbc:postgresql://");
  }
}
