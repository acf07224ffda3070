package dev.mode.cluster;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.BiFunction;
import javax.sql.DataSource;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.provider.jdbc.internal.AbstractJdbcStorageAccessor;
import net.javacrumbs.shedlock.support.StorageBasedLockProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** ShedLock's JDBC storage, with the replica's node id as the lock holder. */
final class JdbcStore extends ClusterStore {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcStore.class);
  static final String TABLE = "mode_cluster_lock";

  private final HikariConfig poolConfig; // null when the data source is the caller's
  private final String description;
  private volatile DataSource dataSource;
  private volatile HikariDataSource ownPool;
  private volatile LockProvider locks;

  JdbcStore(DataSource dataSource, HikariConfig poolConfig, String description) {
    this.dataSource = dataSource;
    this.poolConfig = poolConfig;
    this.description = description;
  }

  @Override
  void open(String nodeId) throws SQLException {
    if (poolConfig != null) {
      ownPool = pool(poolConfig);
      dataSource = ownPool;
    }
    createTable(dataSource);
    locks = new Provider(new Accessor(dataSource, nodeId));
  }

  /** Creates the lock table unless it exists; replicas racing to create it all succeed. */
  static void createTable(DataSource dataSource) throws SQLException {
    String ddl =
        "CREATE TABLE IF NOT EXISTS " + TABLE + " (name VARCHAR(255) NOT NULL PRIMARY KEY,"
            + " lock_until TIMESTAMP(3) NOT NULL, locked_at TIMESTAMP(3) NOT NULL,"
            + " locked_by VARCHAR(255) NOT NULL)";
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute(ddl);
    } catch (SQLException first) {
      // PostgreSQL's IF NOT EXISTS is not atomic: a replica creating the table at the same moment
      // wins, and ours fails with a unique violation. The table is then there.
      try (Connection c = dataSource.getConnection();
          Statement s = c.createStatement()) {
        s.execute("SELECT COUNT(*) FROM " + TABLE);
      } catch (SQLException again) {
        again.addSuppressed(first);
        throw again;
      }
    }
  }

  @Override
  LockProvider locks() {
    LockProvider l = locks;
    if (l == null) throw new IllegalStateException("the cluster store " + description + " is not open");
    return l;
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void close() {
    locks = null;
    HikariDataSource p = ownPool;
    ownPool = null;
    if (p != null) p.close();
  }

  /** ShedLock's storage-based provider; its constructor is protected. */
  private static final class Provider extends StorageBasedLockProvider {
    Provider(Accessor accessor) {
      super(accessor);
    }
  }

  /** ShedLock's JDBC statements, run on a pooled connection, with this replica as the holder. */
  private static final class Accessor extends AbstractJdbcStorageAccessor {
    private final DataSource dataSource;
    private final String nodeId;

    Accessor(DataSource dataSource, String nodeId) {
      super(TABLE);
      this.dataSource = dataSource;
      this.nodeId = nodeId;
    }

    @Override
    protected String getHostname() {
      return nodeId;
    }

    @Override
    protected <T> T executeCommand(
        String sql, SqlFunction<PreparedStatement, T> body, BiFunction<String, SQLException, T> onError) {
      try (Connection c = dataSource.getConnection()) {
        boolean auto = c.getAutoCommit();
        if (!auto) c.setAutoCommit(true);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          ps.setQueryTimeout(5);
          return body.apply(ps);
        } finally {
          if (!auto) c.setAutoCommit(false);
        }
      } catch (SQLException e) {
        LOG.debug("Cluster store statement failed: {}", sql, e);
        return onError.apply(sql, e);
      }
    }
  }
}
