package dev.mode.cluster;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.support.AbstractStorageAccessor;
import net.javacrumbs.shedlock.support.LockException;
import net.javacrumbs.shedlock.support.StorageBasedLockProvider;

/**
 * ShedLock's storage-based locking on Kubernetes {@code Lease} objects (coordination.k8s.io/v1)
 * through the fabric8 client: one Lease per lock, its holder in {@code spec.holderIdentity}, and the
 * lock's end to the millisecond in the annotation {@code mode.dev/lock-until} ({@code renewTime} and
 * {@code leaseDurationSeconds} are kept in step, rounded up, so {@code kubectl get lease} reads
 * right). Every change is a replace guarded by the object's {@code resourceVersion}, so of two
 * replicas racing for a lock exactly one wins (the API server answers 409 to the other). The pod
 * needs get, create and update on {@code leases} in its namespace.
 */
final class KubernetesStore extends ClusterStore {
  static final String UNTIL = "mode.dev/lock-until";
  static final String NAME = "mode.dev/lock-name";

  private final String namespace; // null: the client's (the pod's own namespace in a cluster)
  private volatile KubernetesClient client;
  private volatile String ns;
  private volatile LockProvider locks;

  KubernetesStore(String namespace) {
    this.namespace = namespace;
  }

  @Override
  void open(String nodeId) throws InterruptedException {
    Config config = new ConfigBuilder(Config.autoConfigure(null))
        .withConnectionTimeout(3_000)
        .withRequestTimeout(5_000)
        .withRequestRetryBackoffLimit(0)
        .build();
    KubernetesClient c = new KubernetesClientBuilder().withConfig(config).build();
    String n = namespace != null ? namespace : c.getNamespace() != null ? c.getNamespace() : "default";
    awaitApiServer(c, n);
    client = c;
    ns = n;
    locks = new Provider(new Accessor(c, n, nodeId));
  }

  /**
   * Lists the Leases once, so that a missing permission fails the start now with the API server's
   * reason; an API server that does not answer yet (a pod starting with its node) gets 30 s.
   */
  private static void awaitApiServer(KubernetesClient c, String n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        c.leases().inNamespace(n).list();
        return;
      } catch (KubernetesClientException e) {
        boolean answered = e.getCode() > 0;
        if (answered || System.nanoTime() - deadline > 0) {
          c.close();
          throw e;
        }
        Thread.sleep(500);
      }
    }
  }

  @Override
  LockProvider locks() {
    LockProvider l = locks;
    if (l == null) throw new IllegalStateException("the cluster store " + describe() + " is not open");
    return l;
  }

  @Override
  public String describe() {
    return "kubernetes://" + (ns != null ? ns : namespace != null ? namespace : "");
  }

  @Override
  public void close() {
    locks = null;
    KubernetesClient c = client;
    client = null;
    if (c != null) c.close();
  }

  /**
   * A Lease name for a lock name: lower-case letters, digits and dashes from the name, and a hash of
   * the whole name so that two names never share a Lease.
   */
  static String leaseName(String lockName) {
    String readable = lockName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    if (readable.length() > 200) readable = readable.substring(0, 200);
    byte[] h;
    try {
      h = MessageDigest.getInstance("SHA-256").digest(lockName.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return "mode-" + readable + "-" + HexFormat.of().formatHex(h, 0, 5);
  }

  private static final class Provider extends StorageBasedLockProvider {
    Provider(Accessor accessor) {
      super(accessor);
    }
  }

  private static final class Accessor extends AbstractStorageAccessor {
    private final KubernetesClient client;
    private final String ns;
    private final String nodeId;
    // The Lease as this replica last wrote it, by lock name: extending and releasing a lock of ours
    // is then one guarded replace, not a read and a replace (a 409 falls back to reading).
    private final Map<String, Lease> written = new ConcurrentHashMap<>();

    Accessor(KubernetesClient client, String ns, String nodeId) {
      this.client = client;
      this.ns = ns;
      this.nodeId = nodeId;
    }

    @Override
    protected String getHostname() {
      return nodeId;
    }

    private Lease get(LockConfiguration c) {
      return client.leases().inNamespace(ns).withName(leaseName(c.getName())).get();
    }

    private static long until(Lease l) {
      String u = l.getMetadata().getAnnotations() == null ? null : l.getMetadata().getAnnotations().get(UNTIL);
      return u == null ? 0 : Long.parseLong(u);
    }

    /** {@code base} (or a new Lease) held by this replica until {@code until}. */
    private Lease held(Lease base, LockConfiguration c, Instant until) {
      Instant now = ClockProvider.now();
      ZonedDateTime nowZ = now.atZone(ZoneOffset.UTC);
      int seconds = (int) Math.max(1, (until.toEpochMilli() - now.toEpochMilli() + 999) / 1000);
      LeaseBuilder b = base == null
          ? new LeaseBuilder().withNewMetadata().withName(leaseName(c.getName())).withNamespace(ns).endMetadata().withNewSpec().endSpec()
          : new LeaseBuilder(base);
      boolean newHolder = base == null || !nodeId.equals(base.getSpec().getHolderIdentity());
      Integer transitions = base == null || base.getSpec().getLeaseTransitions() == null ? 0 : base.getSpec().getLeaseTransitions();
      b.editMetadata()
          .addToAnnotations(UNTIL, Long.toString(until.toEpochMilli()))
          .addToAnnotations(NAME, c.getName())
          .endMetadata()
          .editSpec()
          .withHolderIdentity(nodeId)
          .withLeaseDurationSeconds(seconds)
          .withRenewTime(nowZ)
          .endSpec();
      if (newHolder) b.editSpec().withAcquireTime(nowZ).withLeaseTransitions(base == null ? 0 : transitions + 1).endSpec();
      return b.build();
    }

    private boolean replace(LockConfiguration c, Lease l) {
      try {
        written.put(c.getName(), client.leases().inNamespace(ns).resource(l).update());
        return true;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409 || e.getCode() == 404) { // changed or gone meanwhile
          written.remove(c.getName());
          return false;
        }
        throw e;
      }
    }

    /** The Lease of {@code c} as this replica last wrote it, if it still holds it by that record. */
    private Lease ours(LockConfiguration c) {
      Lease l = written.get(c.getName());
      return l != null && nodeId.equals(l.getSpec().getHolderIdentity()) && until(l) > ClockProvider.now().toEpochMilli() ? l : null;
    }

    @Override
    public boolean insertRecord(LockConfiguration c) {
      try {
        written.put(c.getName(), client.leases().inNamespace(ns).resource(held(null, c, c.getLockAtMostUntil())).create());
        return true;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409) return false;
        throw new LockException("Kubernetes failed creating lease for " + c.getName() + ": " + e.getMessage(), e);
      }
    }

    @Override
    public boolean updateRecord(LockConfiguration c) {
      try {
        Lease l = get(c);
        if (l == null) return insertRecord(c);
        if (until(l) > ClockProvider.now().toEpochMilli()) return false;
        return replace(c, held(l, c, c.getLockAtMostUntil()));
      } catch (KubernetesClientException e) {
        throw new LockException("Kubernetes failed taking lease for " + c.getName() + ": " + e.getMessage(), e);
      }
    }

    @Override
    public boolean extend(LockConfiguration c) {
      try {
        Lease mine = ours(c);
        if (mine != null && replace(c, held(mine, c, c.getLockAtMostUntil()))) return true;
        Lease l = get(c);
        if (l == null || !nodeId.equals(l.getSpec().getHolderIdentity()) || until(l) <= ClockProvider.now().toEpochMilli()) return false;
        return replace(c, held(l, c, c.getLockAtMostUntil()));
      } catch (KubernetesClientException e) {
        throw new LockException("Kubernetes failed extending lease for " + c.getName() + ": " + e.getMessage(), e);
      }
    }

    @Override
    public void unlock(LockConfiguration c) {
      try {
        Lease mine = ours(c);
        if (mine != null && replace(c, held(mine, c, c.getUnlockTime()))) return;
        Lease l = get(c);
        if (l == null || !nodeId.equals(l.getSpec().getHolderIdentity())) return; // not ours any more
        replace(c, held(l, c, c.getUnlockTime()));
      } catch (KubernetesClientException e) {
        throw new LockException("Kubernetes failed releasing lease for " + c.getName() + ": " + e.getMessage(), e);
      }
    }
  }
}
