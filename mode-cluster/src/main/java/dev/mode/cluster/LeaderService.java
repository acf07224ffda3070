package dev.mode.cluster;

import dev.mode.Service;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs its leader-only services on exactly one replica at a time: the one that holds the lease of
 * its role in the {@link Cluster}'s store. The leader service itself runs on every replica and
 * competes for the lease; when it wins, it adds its leader-only services as dependencies and starts
 * them (they appear under it in the service tree); when the lease is lost (not renewed in time, taken
 * over after a pause or partition, or this service stopping) it stops and detaches them before the
 * lease could be granted to another replica (see {@link Cluster} for the timings and the safety
 * margin).
 *
 * <p>Fencing: a leader-only service's stop timeout is capped at the cluster's safety margin when it
 * is started, and a timer or cron run of a leader-only service (or a service below one) is skipped
 * when the lease is no longer valid at the moment the run begins, so a replica resumed after a pause
 * runs nothing of the role before it has stepped down. Code in a leader-only {@code @Task} loop with
 * effects outside the process should check {@link #isLeader()} (or {@link #holdsLeadership(Service)})
 * before each effect; no lease-based election can do more without fencing tokens in the target
 * system.
 *
 * <pre>{@code
 * Worker worker = new Worker(new LeaderService("billing", new InvoiceSender(), new Reconciler()));
 * }</pre>
 *
 * <p>Thread-safety: queries may be called from any thread; leadership changes happen on this
 * service's own lease task, one at a time, in the order they are reported to listeners.
 */
public class LeaderService extends Service {
  private final String role;
  private final Cluster explicitCluster; // null: the cluster serving this service's tree
  private final List<Service> leaderOnly = new CopyOnWriteArrayList<>();
  private final List<LeadershipListener> listeners = new CopyOnWriteArrayList<>();
  private volatile LeaseRunner runner;

  /**
   * A leader service for {@code role} served by the running {@link Cluster} of its tree (the one the
   * Worker's cluster options start).
   *
   * @throws IllegalArgumentException if the role is blank
   */
  public LeaderService(String role, Service... leaderOnly) {
    this(null, role, leaderOnly);
  }

  /** A leader service for {@code role} served by {@code cluster}, which must be running first. */
  public LeaderService(Cluster cluster, String role, Service... leaderOnly) {
    this.explicitCluster = cluster;
    this.role = Objects.requireNonNull(role, "role");
    if (role.isBlank()) throw new IllegalArgumentException("Invalid role \"\": name what the leader does, for example \"billing\"");
    for (Service s : leaderOnly) this.leaderOnly.add(Objects.requireNonNull(s, "leader-only service"));
  }

  /** Hears leadership changes of leader services. */
  public interface LeadershipListener {
    /**
     * This replica became ({@code leader} true) or stopped being the leader of {@code role};
     * called on the lease task, after the leader-only services started or stopped.
     */
    void leadershipChanged(LeaderService service, boolean leader, String reason);
  }

  @Override
  public String label() {
    return "LeaderService[" + role + "]";
  }

  /** The role whose lease this service competes for. */
  public final String role() {
    return role;
  }

  /** The leader-only services, running or not. */
  public final List<Service> leaderOnly() {
    return List.copyOf(leaderOnly);
  }

  /**
   * Adds a leader-only service: it runs from the next time this replica wins the lease (it is not
   * started now even if this replica leads).
   */
  public final void addLeaderOnly(Service service) {
    leaderOnly.add(Objects.requireNonNull(service, "service"));
  }

  /** Adds a listener for this service's leadership changes. */
  public final void addLeadershipListener(LeadershipListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** True if this replica holds the lease now and it has not passed its step-down deadline. */
  public final boolean isLeader() {
    LeaseRunner r = runner;
    return r != null && r.valid();
  }

  /** How many times this replica gained or lost the leadership of the role since this service was made. */
  public final long transitions() {
    LeaseRunner r = runner;
    return r == null ? 0 : r.transitions();
  }

  /**
   * False if {@code service} is a leader-only service (or below one) whose leader service does not
   * hold a valid lease now; true otherwise (also for services outside any leader service).
   */
  public static boolean holdsLeadership(Service service) {
    return nearest(service).map(LeaderService::isLeader).orElse(true);
  }

  /** The nearest leader service above {@code service} (not itself), if any. */
  static Optional<LeaderService> nearest(Service service) {
    for (var n = service.beacon().parent(); n.isPresent(); n = n.get().parent()) {
      if (n.get().service() instanceof LeaderService l) return Optional.of(l);
    }
    return Optional.empty();
  }

  @Override
  protected void onStart() {
    Cluster cluster = explicitCluster != null ? explicitCluster : Cluster.serving(this).orElseThrow(() ->
        new IllegalStateException(
            path() + " needs a running Cluster: run under a Worker with mode-cluster's options (--cluster-store), or start a Cluster first and pass it"));
    if (cluster.state() != dev.mode.State.RUNNING) {
      throw new IllegalStateException(path() + " needs its Cluster running first; it is " + cluster.state());
    }
    LeaseRunner r = new LeaseRunner(this, cluster, List.copyOf(listeners));
    runner = r;
    cluster.register(this);
    addTask("lease " + role, r::leaseLoop);
    addTask("leadership " + role, r::reconcileLoop);
  }

  @Override
  protected void onShutdown() {
    LeaseRunner r = runner;
    if (r != null) {
      r.afterStop();
      r.cluster.unregister(this);
    }
  }

  /** Leader-only services, for the lease runner. */
  final List<Service> leaderOnlyServices() {
    return leaderOnly;
  }

  final Duration stopTimeoutCap() {
    LeaseRunner r = runner;
    return r == null ? Duration.ZERO : r.cluster.safetyMargin();
  }
}
