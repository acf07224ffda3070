package dev.mode.admin;

import dev.mode.worker.ServicePaths;
import dev.mode.HealthCheck;
import dev.mode.Service;
import dev.mode.State;
import dev.mode.graph.DependencyGraph;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.MDC;

/**
 * Runs the {@link HealthCheck}s of the RUNNING services of a tree on request, each on its own virtual
 * thread, all at once, and waits for each at most the check timeout. A result is reused for {@link
 * #FRESH} after it came, so a burst of probes (several load balancers, the dashboard, a scrape) runs
 * each check once; and a check still running is never started again, so one that hangs costs one
 * thread, not one per probe. Thread-safe.
 */
final class HealthChecks {
  /** How long a finished check's result is reused. */
  static final Duration FRESH = Duration.ofSeconds(1);

  private final long timeoutNanos;
  private final Map<Service, Probe> probes = new ConcurrentHashMap<>();

  HealthChecks(Duration timeout) {
    this.timeoutNanos = timeout.toNanos();
  }

  /**
   * The reasons of the unhealthy RUNNING services under {@code top} (itself included), in tree
   * order, at most {@code limit}, each naming the service's path: {@code "App/Db is unhealthy:
   * cannot reach db:5432"}. Blocks at most about the check timeout.
   */
  List<String> failures(Service top, int limit) {
    List<Service> checked = new ArrayList<>();
    DependencyGraph.walk(top, (s, depth) -> {
      if (s instanceof HealthCheck && s.state() == State.RUNNING) checked.add(s);
    });
    Set<Service> live = Collections.newSetFromMap(new IdentityHashMap<>());
    live.addAll(checked);
    // forget services that stopped (removeDependency stops too): a later start checks afresh
    probes.keySet().removeIf(s -> !live.contains(s) && (s.state() != State.RUNNING || ServicePaths.isWithin(s, top)));
    List<Probe> running = new ArrayList<>(checked.size());
    long now = System.nanoTime();
    for (Service s : checked) running.add(probes.compute(s, (k, old) -> old != null && old.reusable(now) ? old : Probe.start(k)));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < running.size() && out.size() < limit; i++) {
      String reason = running.get(i).await(timeoutNanos);
      if (reason != null) out.add(checked.get(i).path() + " is unhealthy: " + reason);
    }
    return out;
  }

  /** One run of one service's check. */
  private static final class Probe {
    final CompletableFuture<HealthCheck.Result> result = new CompletableFuture<>();
    final long startedNanos = System.nanoTime();
    volatile long doneNanos;

    static Probe start(Service s) {
      Probe p = new Probe();
      Thread.ofVirtual().name("mode-health " + s.path()).start(() -> p.run(s));
      return p;
    }

    private void run(Service s) {
      MDC.put(Service.MDC_KEY, s.path());
      HealthCheck.Result r;
      try {
        r = ((HealthCheck) s).checkHealth();
        if (r == null) r = HealthCheck.Result.down("its checkHealth() returned null");
      } catch (Exception | Error e) {
        r = HealthCheck.Result.down("check failed: " + e);
      }
      doneNanos = System.nanoTime();
      result.complete(r);
    }

    boolean reusable(long now) {
      return !result.isDone() || now - doneNanos < FRESH.toNanos();
    }

    /** The reason this check failed, or null if healthy; waits until {@code timeoutNanos} after its start. */
    String await(long timeoutNanos) {
      long left = startedNanos + timeoutNanos - System.nanoTime();
      try {
        HealthCheck.Result r = left > 0 ? result.get(left, TimeUnit.NANOSECONDS) : result.getNow(null);
        if (r == null) throw new TimeoutException();
        return r.healthy() ? null : r.reason();
      } catch (TimeoutException e) {
        return "its check did not answer within " + Duration.ofNanos(timeoutNanos).toMillis() + " ms";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "interrupted while waiting for its check";
      } catch (ExecutionException e) {
        return "check failed: " + e.getCause();
      }
    }
  }
}
