package dev.mode.cluster;

import dev.mode.Service;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine of one {@link LeaderService}: two tasks of that service. The lease loop is the only
 * writer of the lease (taking it, renewing it, dropping it when a renewal is refused); the
 * leadership loop is the only writer of which leader-only services run, and follows the lease: it
 * starts them when the lease is valid, and stops them when it is not, at the latest when the
 * step-down deadline passes, even while the lease loop waits on an unresponsive store.
 */
final class LeaseRunner {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseRunner.class);

  final Cluster cluster;
  private final LeaderService leader;
  private final List<LeaderService.LeadershipListener> listeners;
  private final String lockName;
  private final Duration lease;
  private final long marginNanos;
  private final Semaphore changed = new Semaphore(0);
  private final AtomicLong transitions = new AtomicLong();

  // Written by the lease loop only (and by afterStop once both loops ended).
  private volatile SimpleLock lock; // null: not holding the lease
  private volatile long validUntil; // System.nanoTime() of the step-down deadline, while lock != null
  private long lastSent;
  private boolean storeFailing;

  // Written by the leadership loop only (and by afterStop).
  private volatile boolean running;

  LeaseRunner(LeaderService leader, Cluster cluster, List<LeaderService.LeadershipListener> listeners) {
    this.leader = leader;
    this.cluster = cluster;
    this.listeners = listeners;
    this.lockName = "leader:" + leader.role();
    this.lease = cluster.lease();
    this.marginNanos = cluster.safetyMargin().toNanos();
  }

  boolean valid() {
    return lock != null && System.nanoTime() - validUntil < 0;
  }

  long transitions() {
    return transitions.get();
  }

  /** Takes the lease when free, renews it while held, drops it when a renewal is refused. */
  void leaseLoop() throws InterruptedException {
    Duration every = cluster.renewEvery();
    while (!leader.shouldStop()) {
      if (lock == null) {
        tryAcquire();
        if (lock == null) leader.sleep(every);
        continue;
      }
      long now = System.nanoTime();
      long renewAt = lastSent + every.toNanos();
      if (now - renewAt < 0) {
        leader.sleep(Duration.ofNanos(renewAt - now));
        continue;
      }
      renew(every);
    }
  }

  private void tryAcquire() {
    long sent = System.nanoTime();
    try {
      Optional<SimpleLock> got = cluster.locks().lock(new LockConfiguration(Instant.now(), lockName, lease, Duration.ZERO));
      storeRecovered();
      if (got.isPresent()) {
        lastSent = sent;
        validUntil = sent + lease.toNanos() - marginNanos;
        lock = got.get();
        LOG.info("Took the lease of role {} as {}", leader.role(), cluster.nodeId());
        changed.release();
      }
    } catch (RuntimeException e) {
      storeFailed("taking the lease", e);
    }
  }

  private void renew(Duration every) throws InterruptedException {
    long sent = System.nanoTime();
    SimpleLock held = lock;
    Optional<SimpleLock> extended;
    try {
      extended = held.extend(lease, Duration.ZERO);
      storeRecovered();
    } catch (RuntimeException e) {
      storeFailed("renewing the lease", e);
      // Try again soon; the leadership loop steps down by itself if the deadline passes meanwhile.
      leader.sleep(every.dividedBy(4));
      return;
    }
    if (extended.isPresent()) {
      lastSent = sent;
      validUntil = sent + lease.toNanos() - marginNanos;
      lock = extended.get();
    } else {
      lock = null;
      LOG.warn("Lost the lease of role {}: the store holds it for another replica or it expired", leader.role());
    }
    changed.release();
  }

  private void storeFailed(String what, RuntimeException e) {
    if (!storeFailing) {
      storeFailing = true;
      LOG.warn("Cluster store {} failed {} of role {}: {}", cluster.store().describe(), what, leader.role(), e.toString());
    }
    cluster.counters().storeErrors.incrementAndGet();
  }

  private void storeRecovered() {
    if (storeFailing) {
      storeFailing = false;
      LOG.info("Cluster store {} answers again", cluster.store().describe());
    }
  }

  /** Starts the leader-only services while the lease is valid; stops them when it is not. */
  void reconcileLoop() throws InterruptedException {
    while (!leader.shouldStop()) {
      boolean v = valid();
      if (v && !running) {
        try {
          gain();
        } catch (IllegalStateException e) {
          if (leader.shouldStop()) return; // stopping meanwhile: the stop takes the services down
          throw e;
        }
      } else if (!v && running) {
        lose(lock == null ? "the lease was lost" : "the lease was not renewed before the step-down deadline");
      }
      if (running) {
        long left = validUntil - System.nanoTime();
        if (left > 0) changed.tryAcquire(left, TimeUnit.NANOSECONDS);
      } else {
        changed.tryAcquire(cluster.renewEvery().toNanos(), TimeUnit.NANOSECONDS);
      }
      changed.drainPermits();
    }
  }

  private void gain() {
    Duration cap = cluster.safetyMargin();
    List<Service> children = leader.leaderOnlyServices();
    LOG.info("Leader of role {}: starting {} leader-only service(s)", leader.role(), children.size());
    running = true;
    for (Service child : children) {
      if (child.stopTimeout().compareTo(cap) > 0) child.setStopTimeout(cap);
      leader.addRuntimeDependency(child);
    }
    transitioned(true, "took the lease");
  }

  private void lose(String reason) {
    LOG.warn("No longer leader of role {} ({}): stopping the leader-only services", leader.role(), reason);
    stopChildren();
    running = false;
    transitioned(false, reason);
  }

  private void stopChildren() {
    List<Service> children = new ArrayList<>(leader.leaderOnlyServices());
    for (int i = children.size() - 1; i >= 0; i--) {
      Service child = children.get(i);
      if (leader.dependencies().contains(child)) leader.removeDependency(child);
    }
  }

  /** After the leader service stopped (its tasks ended, its dependencies stopped): detach, release. */
  void afterStop() {
    stopChildren();
    if (running) {
      running = false;
      transitioned(false, "the leader service stopped");
    }
    SimpleLock held = lock;
    lock = null;
    if (held != null && System.nanoTime() - validUntil < 0) {
      try {
        held.unlock();
        LOG.info("Released the lease of role {}", leader.role());
      } catch (RuntimeException e) {
        LOG.warn("Could not release the lease of role {}; it expires by itself within {}", leader.role(), lease, e);
      }
    }
  }

  private void transitioned(boolean nowLeader, String reason) {
    transitions.incrementAndGet();
    cluster.counters().transitions.incrementAndGet();
    LeadershipEvent.emit(leader.role(), cluster.nodeId(), nowLeader, reason);
    for (LeaderService.LeadershipListener l : listeners) {
      try {
        l.leadershipChanged(leader, nowLeader, reason);
      } catch (RuntimeException e) {
        LOG.warn("Leadership listener {} failed", l, e);
      }
    }
  }
}
