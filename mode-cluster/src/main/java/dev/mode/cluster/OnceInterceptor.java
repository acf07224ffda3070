package dev.mode.cluster;

import dev.mode.RunInterceptor;
import dev.mode.ThrowingRunnable;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run gate of one {@link Cluster}: skips runs of leader-only services whose lease is no longer
 * valid, and lets a {@link ClusterOnce} run go ahead only on the replica that claims its fire time.
 *
 * <p>A fire time is claimed with a ShedLock lock named after the job and the fire time's place in a
 * ring of {@value #RING} (so the store keeps {@value #RING} rows per job, not one per fire time),
 * held from the claim until two periods after the fire time. Claims are accepted up to one and a
 * half periods after the fire time; the ring name comes back {@value #RING} periods later, when the
 * hold has long ended. So two replicas can both run one fire time only if their clocks differ by more
 * than half a period.
 */
final class OnceInterceptor implements RunInterceptor {
  private static final Logger LOG = LoggerFactory.getLogger(OnceInterceptor.class);
  static final int RING = 4;

  private final Cluster cluster;

  OnceInterceptor(Cluster cluster) {
    this.cluster = cluster;
  }

  @Override
  public void around(JobRun run, ThrowingRunnable body) throws Exception {
    if (Cluster.serving(run.service()).orElse(null) != cluster) {
      body.run();
      return;
    }
    Optional<LeaderService> leader = LeaderService.nearest(run.service());
    if (leader.isPresent() && !leader.get().isLeader()) {
      LOG.info("Skipped {} {}: the lease of role {} is not valid on this replica", run.kind(), run.name(), leader.get().role());
      cluster.counters().fencedRuns.incrementAndGet();
      return;
    }
    OncePolicy policy = OncePolicy.of(run);
    if (policy == null) {
      body.run();
      return;
    }
    runOnce(run, policy, body);
  }

  private void runOnce(JobRun run, OncePolicy policy, ThrowingRunnable body) throws Exception {
    long periodMs = Math.max(1, policy.period().toMillis());
    long slot = Math.floorDiv(run.fireTime().toEpochMilli(), periodMs);
    Instant slotStart = Instant.ofEpochMilli(slot * periodMs);
    Instant now = Instant.now();
    Instant claimDeadline = slotStart.plusMillis(periodMs + periodMs / 2);
    if (!now.isBefore(claimDeadline)) {
      LOG.info("Skipped {} for {}: {} late, its fire time belongs to replicas that were on time",
          run.name(), slotStart, Duration.between(slotStart, now));
      cluster.counters().onceLate.incrementAndGet();
      return;
    }
    String job = run.service().path() + "#" + run.name();
    LockProvider locks = cluster.locks();
    Duration hold = Duration.between(now, slotStart.plusMillis(2 * periodMs));
    Optional<SimpleLock> claim;
    Optional<SimpleLock> jobLock = Optional.empty();
    try {
      claim = locks.lock(new LockConfiguration(now, job + "@" + Math.floorMod(slot, RING), hold, Duration.ZERO));
      if (claim.isEmpty()) {
        LOG.debug("Skipped {} for {}: another replica claimed it", run.name(), slotStart);
        cluster.counters().onceSkipped.incrementAndGet();
        return;
      }
      // The fire time is ours; a run of the job still going elsewhere (or lockAtLeastFor) may hold
      // the job lock: wait for it while the fire time may still be claimed, then give it back.
      long pollMs = Math.max(50, periodMs / 20);
      while (true) {
        Instant t = Instant.now();
        jobLock = locks.lock(new LockConfiguration(t, job, policy.lockAtMostFor(), policy.lockAtLeastFor()));
        if (jobLock.isPresent() || !t.plusMillis(pollMs).isBefore(claimDeadline)) break;
        Thread.sleep(pollMs);
      }
    } catch (RuntimeException e) {
      LOG.warn("Skipped {} for {}: the cluster store {} failed: {}", run.name(), slotStart, cluster.store().describe(), e.toString());
      cluster.counters().storeErrors.incrementAndGet();
      return;
    }
    if (jobLock.isEmpty()) {
      // Give the fire time back: a replica that comes later may find the job free.
      claim.get().unlock();
      LOG.info("Skipped {} for {}: its lock was held until the fire time could no longer be claimed (a run elsewhere, or lockAtLeastFor)", run.name(), slotStart);
      cluster.counters().onceSkipped.incrementAndGet();
      return;
    }
    cluster.counters().onceRuns.incrementAndGet();
    try {
      body.run();
    } finally {
      // The claim stays until its hold ends, so the fire time is not run again elsewhere.
      jobLock.get().unlock();
    }
  }
}
