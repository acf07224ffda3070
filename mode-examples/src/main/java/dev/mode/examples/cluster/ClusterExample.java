package dev.mode.examples.cluster;

import dev.mode.Crontab;
import dev.mode.Service;
import dev.mode.Timer;
import dev.mode.cluster.ClusterExtension;
import dev.mode.cluster.ClusterOnce;
import dev.mode.cluster.ClusterStore;
import dev.mode.cluster.LeaderService;
import dev.mode.cluster.OncePerCluster;
import dev.mode.worker.Worker;
import java.time.Duration;

/**
 * docs/cluster.md: a program run as several replicas. {@code Billing} runs on the leader only;
 * {@code Reports} runs on every replica, and its jobs run on one replica per fire time.
 *
 * <p>Run it as replicas of one cluster with {@code --cluster-store jdbc:postgresql://db:5432/app
 * --cluster-user app --cluster-password ...}; with no option it runs as a cluster of one on H2 in
 * memory.
 */
public final class ClusterExample {
  private ClusterExample() {}

  /** Leader-only: started on the replica that wins the lease of "billing", stopped when it loses it. */
  static class Billing extends Service {
    @Timer("10s")
    void sendInvoices() {
      // Work with effects outside the process checks the lease right before each effect.
      if (!LeaderService.holdsLeadership(this)) return;
      log.info("invoices sent");
    }
  }

  /** On every replica: each job runs on one replica per fire time. */
  static class Reports extends Service {
    Reports() {
      // the programmatic equivalent of @Timer + @ClusterOnce
      OncePerCluster.timer(this, "compact", Duration.ofMinutes(5), Duration.ofMinutes(4), Duration.ZERO, this::compact);
    }

    @Timer("1m")
    @ClusterOnce(lockAtMostFor = "5m", lockAtLeastFor = "10s")
    void hourlyTotals() {
      log.info("totals computed");
    }

    @Crontab("0 3 * * *")
    @ClusterOnce(lockAtMostFor = "1h")
    void nightlyExport() {
      log.info("export written");
    }

    void compact() {
      log.info("compacted");
    }
  }

  static Worker worker(LeaderService billing) {
    return Worker.builder(billing, new Reports())
        // on H2 in memory unless --cluster-store names the shared store (replaces the discovered extension)
        .extension(new ClusterExtension(ClusterStore.h2InMemory()))
        .build();
  }

  public static void main(String[] args) {
    worker(new LeaderService("billing", new Billing())).executeFromCommandLine(args);
  }
}
