package dev.mode.examples.admin;

import dev.mode.Service;
import dev.mode.Task;
import dev.mode.Timer;
import dev.mode.admin.AdminOptions;
import dev.mode.admin.AdminService;
import java.time.Duration;

/** docs/admin.md: a program that can be seen and steered from outside. */
public final class AdminExample {
  private AdminExample() {}

  static class Inventory extends Service {
    @Timer("5s")
    void refresh() {
      log.info("inventory refreshed");
    }
  }

  static class Checkout extends Service {
    @Task
    void serve() {
      while (!shouldStop()) sleep(Duration.ofSeconds(1));
    }
  }

  static class Shop extends Service {
    final Inventory inventory = addDependency(new Inventory());
    final Checkout checkout = addDependency(new Checkout());
  }

  /** The shop with its admin as a dependency, so the admin starts and stops with it. */
  static AdminService addAdmin(Shop shop, int port) {
    AdminOptions options = new AdminOptions()
        .port(port)                             // 0: any free port
        .drainDelay(Duration.ofSeconds(5));     // time for load balancers to notice "not ready"
    return shop.addDependency(new AdminService(shop, options));
  }

  public static void main(String[] args) {
    Shop shop = new Shop();
    AdminService admin = addAdmin(shop, args.length > 0 ? Integer.parseInt(args[0]) : 6066);
    // What a Worker does on SIGTERM: fail readiness, wait the drain delay, then stop everything.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      admin.drain();
      shop.stop();
    }));
    shop.start();
    System.out.println("dashboard: " + admin.uri());
    System.out.println("restart the inventory: curl -X POST -H 'Authorization: Bearer " + admin.token() + "' "
        + admin.uri() + "services/Shop/Inventory/restart");
    shop.awaitStopped(Duration.ofDays(365));
  }
}
