package dev.mode.cluster;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.support.AbstractStorageAccessor;
import net.javacrumbs.shedlock.support.LockException;
import net.javacrumbs.shedlock.support.StorageBasedLockProvider;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * ShedLock's storage-based locking on ZooKeeper through Curator: one persistent znode per lock under
 * {@code /mode-cluster/locks}, holding {@code lockUntil;lockedAt;lockedBy}; every change is a
 * compare-and-set on the znode's version, so of two replicas racing for a lock exactly one wins.
 * This is the record layout and the rules of ShedLock's own ZooKeeper provider (whose artifact the
 * project's registry does not serve), on ShedLock's {@link StorageBasedLockProvider}. Locks do not
 * depend on the ZooKeeper session: a session expiry or a server restart shorter than the lease
 * leaves the leader in place, a longer one makes it step down at its deadline.
 */
final class ZooKeeperStore extends ClusterStore {
  static final String ROOT = "/mode-cluster/locks";

  private final String connect;
  private volatile CuratorFramework client;
  private volatile LockProvider locks;

  ZooKeeperStore(String connect) {
    this.connect = connect;
  }

  @Override
  void open(String nodeId) throws Exception {
    CuratorFramework c = CuratorFrameworkFactory.builder()
        .connectString(connect)
        .sessionTimeoutMs(10_000)
        .connectionTimeoutMs(3_000)
        .retryPolicy(new RetryNTimes(1, 200))
        .build();
    c.start();
    if (!c.blockUntilConnected(30, TimeUnit.SECONDS)) {
      c.close();
      throw new IllegalStateException("ZooKeeper at " + connect + " did not answer within 30s");
    }
    client = c;
    locks = new Provider(new Accessor(c, nodeId));
  }

  @Override
  LockProvider locks() {
    LockProvider l = locks;
    if (l == null) throw new IllegalStateException("the cluster store " + describe() + " is not open");
    return l;
  }

  @Override
  public String describe() {
    return "zookeeper://" + connect;
  }

  @Override
  public void close() {
    locks = null;
    CuratorFramework c = client;
    client = null;
    if (c != null) c.close();
  }

  /** The Curator client, once open (for tests that expire its session). */
  CuratorFramework client() {
    return client;
  }

  private static final class Provider extends StorageBasedLockProvider {
    Provider(Accessor accessor) {
      super(accessor);
    }
  }

  /** A lock's znode content. */
  private record Record(long until, long at, String by) {
    static Record parse(byte[] data) {
      String[] p = new String(data, StandardCharsets.UTF_8).split(";", 3);
      return new Record(Long.parseLong(p[0]), Long.parseLong(p[1]), p[2]);
    }

    byte[] bytes() {
      return (until + ";" + at + ";" + by).getBytes(StandardCharsets.UTF_8);
    }
  }

  private static final class Accessor extends AbstractStorageAccessor {
    private final CuratorFramework client;
    private final String nodeId;

    Accessor(CuratorFramework client, String nodeId) {
      this.client = client;
      this.nodeId = nodeId;
    }

    @Override
    protected String getHostname() {
      return nodeId;
    }

    private static String path(LockConfiguration c) {
      return ROOT + "/" + URLEncoder.encode(c.getName(), StandardCharsets.UTF_8);
    }

    private Record mine(LockConfiguration c, Instant until) {
      return new Record(until.toEpochMilli(), ClockProvider.now().toEpochMilli(), nodeId);
    }

    @Override
    public boolean insertRecord(LockConfiguration c) {
      try {
        client.create().creatingParentsIfNeeded().forPath(path(c), mine(c, c.getLockAtMostUntil()).bytes());
        return true;
      } catch (KeeperException.NodeExistsException e) {
        return false;
      } catch (Exception e) {
        throw new LockException("ZooKeeper failed creating lock " + c.getName(), e);
      }
    }

    @Override
    public boolean updateRecord(LockConfiguration c) {
      try {
        Stat stat = new Stat();
        Record r = Record.parse(client.getData().storingStatIn(stat).forPath(path(c)));
        if (r.until() > ClockProvider.now().toEpochMilli()) return false;
        client.setData().withVersion(stat.getVersion()).forPath(path(c), mine(c, c.getLockAtMostUntil()).bytes());
        return true;
      } catch (KeeperException.BadVersionException e) {
        return false;
      } catch (KeeperException.NoNodeException e) {
        return insertRecord(c);
      } catch (Exception e) {
        throw new LockException("ZooKeeper failed taking lock " + c.getName(), e);
      }
    }

    @Override
    public boolean extend(LockConfiguration c) {
      try {
        Stat stat = new Stat();
        Record r = Record.parse(client.getData().storingStatIn(stat).forPath(path(c)));
        if (!r.by().equals(nodeId) || r.until() <= ClockProvider.now().toEpochMilli()) return false;
        client.setData().withVersion(stat.getVersion()).forPath(path(c), mine(c, c.getLockAtMostUntil()).bytes());
        return true;
      } catch (KeeperException.BadVersionException | KeeperException.NoNodeException e) {
        return false;
      } catch (Exception e) {
        throw new LockException("ZooKeeper failed extending lock " + c.getName(), e);
      }
    }

    @Override
    public void unlock(LockConfiguration c) {
      try {
        Stat stat = new Stat();
        Record r = Record.parse(client.getData().storingStatIn(stat).forPath(path(c)));
        if (!r.by().equals(nodeId)) return; // taken over meanwhile: not ours to release
        client.setData().withVersion(stat.getVersion()).forPath(path(c), mine(c, c.getUnlockTime()).bytes());
      } catch (KeeperException.BadVersionException | KeeperException.NoNodeException e) {
        // changed or gone meanwhile: nothing of ours to release
      } catch (Exception e) {
        throw new LockException("ZooKeeper failed releasing lock " + c.getName(), e);
      }
    }
  }
}
