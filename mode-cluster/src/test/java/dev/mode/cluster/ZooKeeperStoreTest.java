package dev.mode.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mode.Service;
import dev.mode.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Leader election on a real ZooKeeper server in this JVM (curator-test), through its failures. */
class ZooKeeperStoreTest {
  static final Duration LEASE = Duration.ofSeconds(3);

  /** A leader-only service that records the span it ran, as [start, stop] in nanoTime. */
  static final class Span extends Service {
    final List<long[]> spans;
    private long startedAt;

    Span(List<long[]> spans) {
      this.spans = spans;
    }

    @Override
    protected void onStart() {
      startedAt = System.nanoTime();
    }

    @Override
    protected void onShutdown() {
      spans.add(new long[] {startedAt, System.nanoTime()});
    }
  }

  static final class Replica extends Service {
    final Cluster cluster;
    final LeaderService leader;
    final Span span;

    Replica(String connect, String node, List<long[]> spans) {
      cluster = addDependency(new Cluster(ClusterStore.zookeeper(connect), node, LEASE));
      span = new Span(spans);
      leader = addDependency(new LeaderService("scheduler", span));
    }

    ZooKeeperStore store() {
      return (ZooKeeperStore) cluster.store();
    }
  }

  TestingServer server;
  final List<Replica> replicas = new ArrayList<>();
  final List<long[]> spans = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void startServer() throws Exception {
    server = new TestingServer(true);
  }

  @AfterEach
  void stopAll() throws Exception {
    replicas.forEach(Service::stop);
    server.close();
  }

  Replica replica(String node) {
    Replica r = new Replica(server.getConnectString(), node, spans);
    replicas.add(r);
    r.start();
    return r;
  }

  Replica awaitOneLeaderRunning() {
    await().atMost(Duration.ofSeconds(20)).until(() ->
        replicas.stream().filter(r -> r.leader.isLeader() && r.span.state() == State.RUNNING).count() == 1);
    return replicas.stream().filter(r -> r.leader.isLeader()).findFirst().orElseThrow();
  }

  /** The spans of leader-only services, across replicas, never overlap. */
  void assertSpansDoNotOverlap() {
    replicas.forEach(Service::stop);
    List<long[]> sorted = new ArrayList<>(spans);
    sorted.sort(Comparator.comparingLong(s -> s[0]));
    for (int i = 1; i < sorted.size(); i++) {
      assertThat(sorted.get(i)[0]).as("span %d starts after span %d ended", i, i - 1).isGreaterThan(sorted.get(i - 1)[1]);
    }
  }

  @Test
  void oneOfTwoReplicasLeadsAndTheOtherTakesOverWhenItStops() {
    replica("a");
    replica("b");
    Replica first = awaitOneLeaderRunning();
    first.stop();
    Replica second = awaitOneLeaderRunning();
    assertThat(second).isNotSameAs(first);
    assertSpansDoNotOverlap();
  }

  @Test
  void theLeaderKeepsLeadingThroughAnExpiredSession() throws Exception {
    replica("a");
    replica("b");
    Replica leader = awaitOneLeaderRunning();
    long before = leader.leader.transitions();
    leader.store().client().getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
    await().atMost(Duration.ofSeconds(20)).until(() -> leader.store().client().getZookeeperClient().isConnected());
    // two renewal periods after the new session: the lease was renewed through it
    long renewedBy = System.nanoTime() + 2 * leader.cluster.renewEvery().toNanos();
    await().atMost(Duration.ofSeconds(20)).until(() -> System.nanoTime() - renewedBy > 0);
    assertThat(leader.leader.isLeader()).isTrue();
    assertThat(leader.leader.transitions()).isEqualTo(before);
    assertSpansDoNotOverlap();
  }

  @Test
  void aServerRestartEndsWithOneLeaderAndNoOverlap() throws Exception {
    replica("a");
    replica("b");
    awaitOneLeaderRunning();
    server.restart();
    awaitOneLeaderRunning();
    assertSpansDoNotOverlap();
  }

  @Test
  void aLeaderCutOffFromZooKeeperLongerThanItsLeaseStepsDownThenLeadsAgain() throws Exception {
    Replica r = replica("a");
    awaitOneLeaderRunning();
    server.stop();
    await().atMost(Duration.ofSeconds(10)).until(() -> r.span.state() == State.SHUTDOWN);
    assertThat(r.leader.isLeader()).isFalse();
    server.restart();
    await().atMost(Duration.ofSeconds(30)).until(() -> r.span.state() == State.RUNNING);
    assertSpansDoNotOverlap();
  }

  @Test
  void aBlankAddressIsRejectedNamingTheAcceptedForm() {
    assertThatThrownBy(() -> ClusterStore.of("zookeeper://", null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host:port[,host:port][/chroot]");
  }
}
