package dev.mode.examples.services;

import dev.mode.Service;
import dev.mode.ServiceException;
import dev.mode.State;
import java.time.Duration;
import java.util.List;

/** docs/services.md: callbacks, dependencies, closeables, crash and restart. */
public final class ServicesExample {
  private ServicesExample() {}

  /** Owns a connection pool; closes it at stop. */
  static class Database extends Service {
    AutoCloseable pool;

    @Override
    protected void onStart() {
      pool = addCloseable(() -> log.info("pool closed"));
      log.info("connected");
    }
  }

  /** Depends on the database: it starts after Api.onStart and stops before Api.onShutdown. */
  static class Api extends Service {
    final Database db = addDependency(new Database());

    @Override
    protected void onStarted() {
      log.info("serving, database is {}", db.state());
    }

    @Override
    protected void onShutdown() {
      log.info("stopped, database is {}", db.state());
    }
  }

  /** Added at first start through onInitDependencies. */
  static class Root extends Service {
    final Api api = new Api();

    @Override
    protected Iterable<? extends Service> onInitDependencies() {
      return List.of(api);
    }
  }

  public static void main(String[] args) {
    Root root = new Root();
    root.start(); // Root.onStart, Api.onStart, Database.onStart ... Api.onStarted, Root.onStarted
    assert root.state() == State.RUNNING;

    // a crash is recorded and propagates up; no stop step runs until someone handles it
    root.api.db.crash(new IllegalStateException("connection lost"));
    System.out.println("after crash: root=" + root.state() + " reason=" + root.crashReason().getMessage());

    // restart runs the stop steps, resets the tree and starts it again
    root.restart();
    System.out.println("after restart: root=" + root.state() + " restarts=" + root.restartCount());

    root.stop();
    System.out.println("after stop: root=" + root.state() + " stop took " + root.stopDuration().orElseThrow());

    // a failing start throws, and what it started is stopped again
    Service broken =
        new Service() {
          @Override
          protected void onStart() {
            throw new IllegalArgumentException("bad config");
          }
        };
    try {
      broken.start();
    } catch (ServiceException e) {
      System.out.println("start failed: " + e.getCause().getMessage() + ", state=" + broken.state());
    }
    broken.awaitStopped(Duration.ZERO);
  }
}
