package dev.mode.examples.admin;

import dev.mode.HealthCheck;
import dev.mode.Service;
import dev.mode.admin.AdminOptions;
import dev.mode.admin.AdminService;
import java.time.Duration;

/** docs/admin.md "Health checks, groups and the startup probe": a service that reports its database. */
public final class HealthExample {
  private HealthExample() {}

  /** Stands in for a connection pool: reachable or not. */
  static final class Database {
    volatile boolean reachable = true;

    boolean ping() {
      return reachable;
    }
  }

  /** RUNNING is not enough: it needs its database, and says so. */
  static final class Orders extends Service implements HealthCheck {
    final Database db = new Database();

    @Override
    public Result checkHealth() {
      return db.ping() ? Result.up() : Result.down("cannot reach db:5432");
    }
  }

  static final class Shop extends Service {
    final Orders orders = addDependency(new Orders());
  }

  /** The admin with a "db" group (GET /health/db) and a 1 s bound on every check. */
  static AdminService addAdmin(Shop shop, int port) {
    AdminOptions options = new AdminOptions()
        .port(port)
        .healthGroup("db", "Shop/Orders")
        .healthCheckTimeout(Duration.ofSeconds(1));
    return shop.addDependency(new AdminService(shop, options));
  }

  public static void main(String[] args) {
    Shop shop = new Shop();
    AdminService admin = addAdmin(shop, args.length > 0 ? Integer.parseInt(args[0]) : 6066);
    shop.start();
    System.out.println("probes: " + admin.uri() + "health/ready, /health/started, /health/db");
    shop.awaitStopped(Duration.ofDays(365));
  }
}
