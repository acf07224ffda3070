package dev.mode.cluster;

import dev.mode.RunInterceptor;
import dev.mode.Service;
import dev.mode.Timer;
import dev.mode.worker.Worker;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/**
 * The replica the multi-process tests run: {@code ClusterTestApp DB-URL [worker options]}, with the
 * cluster options among the worker options. It runs, under the Worker:
 *
 * <ul>
 *   <li>{@code Ticker}, on every replica: a 1 s timer marked {@link ClusterOnce}; each run inserts its
 *       fire time's slot and the node into {@code once_runs};
 *   <li>{@code LeaderService[singleton]} with {@code LeaderJob}: a 250 ms timer that inserts each run
 *       into {@code leader_runs}, and prints {@code LEADER gained|lost NODE EPOCH-MS} on each change.
 * </ul>
 */
public final class ClusterTestApp {
  static final ThreadLocal<Instant> FIRE = new ThreadLocal<>();
  static String db;
  static String node;

  private ClusterTestApp() {}

  public static void main(String[] args) throws Exception {
    db = args[0];
    node = System.getProperty("node");
    try (Connection c = connect()) {
      c.createStatement().execute("CREATE TABLE IF NOT EXISTS once_runs (slot BIGINT NOT NULL, node VARCHAR(64) NOT NULL, at_ms BIGINT NOT NULL)");
      c.createStatement().execute("CREATE TABLE IF NOT EXISTS leader_runs (node VARCHAR(64) NOT NULL, at_ms BIGINT NOT NULL)");
    } catch (SQLException racedWithAnotherReplica) {
      // the other replica created them
    }
    RunInterceptor.install((run, body) -> {
      FIRE.set(run.fireTime());
      try {
        body.run();
      } finally {
        FIRE.remove();
      }
    });
    LeaderService leader = new LeaderService("singleton", new LeaderJob());
    leader.addLeadershipListener((s, gained, reason) -> {
      System.out.println("LEADER " + (gained ? "gained " : "lost ") + node + " " + System.currentTimeMillis() + " (" + reason + ")");
      System.out.flush();
    });
    String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
    new Worker(new Ticker(), leader).executeFromCommandLine(rest);
  }

  static Connection connect() throws SQLException {
    return DriverManager.getConnection(db, System.getProperty("dbUser", "sa"), System.getProperty("dbPassword", ""));
  }

  static void insert(String sql, Object... values) throws SQLException {
    try (Connection c = connect();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) ps.setObject(i + 1, values[i]);
      ps.executeUpdate();
    }
  }

  /** Runs on one replica per fire time. */
  public static final class Ticker extends Service {
    @Timer("1s")
    @ClusterOnce(lockAtMostFor = "3s")
    void tick() throws SQLException {
      insert("INSERT INTO once_runs (slot, node, at_ms) VALUES (?, ?, ?)",
          FIRE.get().toEpochMilli() / 1000, node, System.currentTimeMillis());
    }
  }

  /** Runs on the leader only; says when it starts, before its timer begins. */
  public static final class LeaderJob extends Service {
    @Override
    protected void onStart() {
      System.out.println("LEADER started " + node + " " + System.currentTimeMillis());
      System.out.flush();
    }

    @Timer("250ms")
    void work() throws SQLException {
      insert("INSERT INTO leader_runs (node, at_ms) VALUES (?, ?)", node, System.currentTimeMillis());
    }
  }
}
