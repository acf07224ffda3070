package dev.mode.examples.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mode.State;
import dev.mode.cluster.LeaderService;
import dev.mode.worker.Worker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The cluster example as docs/cluster.md shows it: with no option, a cluster of one that leads. */
class ClusterExampleTest {
  @Test
  void aReplicaAloneLeadsTheBillingRoleOnH2InMemory() throws Exception {
    ClusterExample.Billing billing = new ClusterExample.Billing();
    LeaderService role = new LeaderService("billing", billing);
    Worker worker = ClusterExample.worker(role);
    Thread run = Thread.ofVirtual().start(() -> worker.execute("--cluster-lease", "1500ms", "--quiet"));
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> role.isLeader() && billing.state() == State.RUNNING);
      assertThat(LeaderService.holdsLeadership(billing)).isTrue();
      assertThat(role.dependencies()).containsExactly(billing);
    } finally {
      worker.exit(0);
      run.join(Duration.ofSeconds(30));
    }
    assertThat(run.isAlive()).isFalse();
    assertThat(billing.state()).isEqualTo(State.SHUTDOWN);
  }
}
