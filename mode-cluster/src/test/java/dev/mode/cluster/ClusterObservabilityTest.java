package dev.mode.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mode.Service;
import dev.mode.State;
import dev.mode.worker.Worker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

/** What a replica shows about its leadership: meters, JFR events, listeners, the Worker's options. */
class ClusterObservabilityTest {
  static final class Job extends Service {}

  static final class Replica extends Service {
    final Cluster cluster;
    final LeaderService leader;
    final Job job = new Job();

    Replica(String db) {
      cluster = addDependency(new Cluster(ClusterStore.jdbc("jdbc:h2:mem:" + db + ";DB_CLOSE_DELAY=-1", "sa", ""), "n1", Duration.ofMillis(1500)));
      leader = addDependency(new LeaderService("reports", job));
    }
  }

  @Test
  void theMetersShowLeadershipAndItsTransitions() {
    Replica r = new Replica("obs-" + UUID.randomUUID());
    List<String> heard = new CopyOnWriteArrayList<>();
    r.leader.addLeadershipListener((s, leader, reason) -> heard.add(s.role() + " " + leader + " " + reason));
    r.start();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> r.job.state() == State.RUNNING);
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      r.cluster.metrics().bindTo(registry);
      assertThat(registry.get("mode.cluster.leader").tag("role", "reports").tag("node", "n1").gauge().value()).isEqualTo(1.0);
      assertThat(registry.get("mode.cluster.leadership.transitions").functionCounter().count()).isEqualTo(1.0);
      r.leader.stop();
      assertThat(registry.get("mode.cluster.leader").gauge().value()).isEqualTo(0.0);
      assertThat(registry.get("mode.cluster.leadership.transitions").functionCounter().count()).isEqualTo(2.0);
      assertThat(heard).containsExactly("reports true took the lease", "reports false the leader service stopped");
    } finally {
      r.stop();
    }
  }

  @Test
  void aRegistryBoundBeforeTheLeaderServiceStartsStillGetsItsGauge() {
    Replica r = new Replica("late-" + UUID.randomUUID());
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    r.cluster.start();
    try {
      r.cluster.bindTo(registry); // as the admin does when the cluster member appears in the tree
      assertThat(registry.find("mode.cluster.leader").gauge()).isNull();
      r.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> r.job.state() == State.RUNNING);
      assertThat(registry.get("mode.cluster.leader").tag("role", "reports").gauge().value()).isEqualTo(1.0);
    } finally {
      r.stop();
    }
  }

  @Test
  void eachLeadershipChangeIsAJfrEvent() throws Exception {
    List<RecordedEvent> events = new CopyOnWriteArrayList<>();
    try (RecordingStream rs = new RecordingStream()) {
      rs.enable("dev.mode.cluster.Leadership");
      rs.onEvent("dev.mode.cluster.Leadership", events::add);
      rs.startAsync();
      Replica r = new Replica("jfr-" + UUID.randomUUID());
      r.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> r.job.state() == State.RUNNING);
      r.stop();
      await().atMost(Duration.ofSeconds(10)).until(() -> events.size() >= 2);
    }
    assertThat(events).extracting(e -> e.getString("role") + " " + e.getBoolean("leader") + " " + e.getString("node"))
        .containsExactly("reports true n1", "reports false n1");
  }

  @Test
  void theWorkerGainsTheClusterOptionsAndRunsAMemberOnlyWhenAStoreIsGiven() {
    ClusterExtension found = new ClusterExtension();
    assertThat(found.services(null)).as("no --cluster-store: nothing runs").isEmpty();

    LeaderService leader = new LeaderService("solo", new Job());
    ClusterExtension ext = new ClusterExtension();
    Worker worker = Worker.builder(leader).extension(ext).configureLogging(false).quiet(true).build();
    Thread run = Thread.ofVirtual().start(() -> worker.execute(
        "--cluster-store", "jdbc:h2:mem:worker-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "--cluster-lease", "1500ms", "--cluster-node-id", "w1"));
    try {
      await().atMost(Duration.ofSeconds(20)).until(leader::isLeader);
      Cluster member = ext.cluster();
      assertThat(member.nodeId()).isEqualTo("w1");
      assertThat(member.lease()).isEqualTo(Duration.ofMillis(1500));
      assertThat(member.leaderServices()).containsExactly(leader);
      assertThat(member.beacon().path()).isEqualTo(worker.label() + "/Cluster");
    } finally {
      worker.stop();
      await().atMost(Duration.ofSeconds(20)).until(() -> !run.isAlive());
    }
  }
}
