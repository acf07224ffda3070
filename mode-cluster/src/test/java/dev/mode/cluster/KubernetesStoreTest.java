package dev.mode.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mode.RunInterceptor;
import dev.mode.Service;
import dev.mode.State;
import dev.mode.Timer;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Leases on the fabric8 mock API server in CRUD mode. */
class KubernetesStoreTest {
  static final String NAMESPACE = "apps";
  static KubernetesMockServer server;
  static final Map<String, String> PROPERTIES = Map.of(
      "kubernetes.auth.tryKubeConfig", "false",
      "kubernetes.auth.tryServiceAccount", "false",
      "kubernetes.trust.certificates", "true");

  /** The mock API server, and the fabric8 client configuration every store in this JVM picks up. */
  static KubernetesMockServer startServer() {
    KubernetesMockServer s = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
    s.init(InetAddress.getLoopbackAddress(), 0);
    return s;
  }

  /** The mock server logs every request at INFO through java.util.logging: kept to warnings. */
  static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  @BeforeAll
  static void start() {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    server = startServer();
    PROPERTIES.forEach(System::setProperty);
    System.setProperty("kubernetes.master", server.url("/"));
  }

  @AfterAll
  static void stop() {
    PROPERTIES.keySet().forEach(System::clearProperty);
    System.clearProperty("kubernetes.master");
    server.destroy();
  }

  static final class Job extends Service {}

  static final ThreadLocal<Instant> FIRE = new ThreadLocal<>();
  final ConcurrentHashMap<Long, AtomicInteger> runsPerSlot = new ConcurrentHashMap<>();

  final class Ticker extends Service {
    @Timer("2s")
    @ClusterOnce(lockAtMostFor = "4s")
    void tick() {
      runsPerSlot.computeIfAbsent(FIRE.get().toEpochMilli() / 2000, s -> new AtomicInteger()).incrementAndGet();
    }
  }

  final class Replica extends Service {
    final Cluster cluster;
    final LeaderService leader;
    final Job job = new Job();

    Replica(String node, boolean ticker) {
      cluster = addDependency(new Cluster(ClusterStore.of("kubernetes://" + NAMESPACE, null, null), node, Duration.ofSeconds(2)));
      leader = addDependency(new LeaderService("controller", job));
      if (ticker) addDependency(new Ticker());
    }
  }

  final List<Replica> replicas = new ArrayList<>();

  @AfterEach
  void stopAll() {
    replicas.forEach(Service::stop);
  }

  Replica awaitOneLeader() {
    await().atMost(Duration.ofSeconds(20)).until(() ->
        replicas.stream().filter(r -> r.leader.isLeader() && r.job.state() == State.RUNNING).count() == 1);
    return replicas.stream().filter(r -> r.leader.isLeader()).findFirst().orElseThrow();
  }

  @Test
  void oneReplicaLeadsAndEachFireTimeRunsOnceAcrossThree() {
    try (RunInterceptor.Registration fire = RunInterceptor.install((run, body) -> {
      FIRE.set(run.fireTime());
      try {
        body.run();
      } finally {
        FIRE.remove();
      }
    })) {
      for (String n : List.of("pod-a", "pod-b", "pod-c")) replicas.add(new Replica(n, true));
      replicas.forEach(Service::start);
      Replica first = awaitOneLeader();
      await().atMost(Duration.ofSeconds(30)).until(() -> runsPerSlot.size() >= 8);
      first.stop();
      Replica second = awaitOneLeader();
      assertThat(second).isNotSameAs(first);
      replicas.forEach(Service::stop);
    }
    TreeMap<Long, Integer> counts = new TreeMap<>();
    runsPerSlot.forEach((slot, n) -> counts.put(slot, n.get()));
    Map<Long, Integer> wrong = new TreeMap<>();
    for (long s = counts.firstKey() + 1; s < counts.lastKey(); s++) {
      if (counts.getOrDefault(s, 0) != 1) wrong.put(s, counts.getOrDefault(s, 0));
    }
    assertThat(wrong).as("fire times not run exactly once, of %s", counts).isEmpty();
  }

  @Test
  void theLeaseIsAKubernetesLeaseNamingItsHolder() {
    Replica r = new Replica("pod-a", false);
    replicas.add(r);
    r.start();
    awaitOneLeader();
    try (KubernetesClient client = server.createClient()) {
      Lease lease = client.leases().inNamespace(NAMESPACE).withName(KubernetesStore.leaseName("leader:controller")).get();
      assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("pod-a");
      assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(2);
      assertThat(lease.getMetadata().getAnnotations()).containsEntry(KubernetesStore.NAME, "leader:controller");
    }
  }

  @Test
  void aLeaderWhoseLeaseAnotherHolderTookStepsDown() {
    Replica r = new Replica("pod-a", false);
    replicas.add(r);
    r.start();
    awaitOneLeader();
    try (KubernetesClient client = server.createClient()) {
      // another holder's claim, as after a pause longer than the lease; retried if a renewal races it
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
        Lease lease = client.leases().inNamespace(NAMESPACE).withName(KubernetesStore.leaseName("leader:controller")).get();
        client.leases().inNamespace(NAMESPACE).resource(new LeaseBuilder(lease)
            .editMetadata().addToAnnotations(KubernetesStore.UNTIL, Long.toString(System.currentTimeMillis() + 3_600_000)).endMetadata()
            .editSpec().withHolderIdentity("intruder").endSpec().build()).update();
        return true;
      });
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> r.job.state() == State.SHUTDOWN);
    assertThat(r.leader.isLeader()).isFalse();
  }

  @Test
  void leaseNamesAreValidKubernetesNamesAndDistinct() {
    String a = KubernetesStore.leaseName("Worker/App/Reports#hourlyTotals@3");
    String b = KubernetesStore.leaseName("Worker/App/Reports#hourlyTotals@2");
    assertThat(a).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?").hasSizeLessThanOrEqualTo(253).isNotEqualTo(b);
    assertThat(KubernetesStore.leaseName("x".repeat(400))).hasSizeLessThanOrEqualTo(253);
  }
}
