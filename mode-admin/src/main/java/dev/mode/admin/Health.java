package dev.mode.admin;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.mode.Service;
import dev.mode.State;
import dev.mode.graph.DependencyGraph;
import dev.mode.worker.ServicePaths;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The admin's health probes: liveness, readiness, the startup probe and the user's named groups,
 * each answered as a {@link Report}. Readiness and groups include the {@link dev.mode.HealthCheck}s of
 * RUNNING services (run by {@link HealthChecks}). The startup probe turns true the first time the
 * root is RUNNING while the admin watches, and stays true for the life of this admin (restarts
 * included), as a Kubernetes startup probe expects. Thread-safe.
 */
final class Health implements Service.Listener {
  /** Probe names the admin defines; a group may not take one of them. */
  static final Set<String> BUILT_IN = Set.of("live", "ready", "started");

  private static final Pattern GROUP_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
  private static final int MAX_REASONS = 10;

  private final AdminService admin;
  private final Map<String, List<String>> groups;
  private final HealthChecks checks;
  private volatile boolean started;

  Health(AdminService admin, Map<String, List<String>> groups, HealthChecks checks) {
    this.admin = admin;
    this.groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
    this.checks = checks;
  }

  /** One probe's answer: UP (HTTP 200) or DOWN (503) with the reasons. */
  record Report(boolean up, List<String> reasons) {
    void writeJson(JsonGenerator g) throws IOException {
      g.writeStartObject();
      g.writeStringField("status", up ? "UP" : "DOWN");
      g.writeArrayFieldStart("reasons");
      for (String r : reasons) g.writeString(r);
      g.writeEndArray();
      g.writeEndObject();
    }
  }

  /** Starts watching the root for its first RUNNING (already RUNNING counts). */
  void watch() {
    admin.root().addListener(this);
    if (admin.root().state() == State.RUNNING) started = true;
  }

  void unwatch() {
    admin.root().removeListener(this);
  }

  @Override
  public void stateChanged(Service service, State from, State to) {
    if (service == admin.root() && to == State.RUNNING) started = true;
  }

  /** True if {@code name} is a probe or a configured group. */
  boolean knows(String name) {
    return BUILT_IN.contains(name) || groups.containsKey(name);
  }

  /**
   * The report of the probe or group {@code name}; blocks at most about the check timeout.
   *
   * @throws IllegalArgumentException if {@link #knows} is false for {@code name}
   */
  Report report(String name) {
    return switch (name) {
      case "live" -> {
        boolean live = admin.isLive();
        yield new Report(live, live ? List.of()
            : List.of(admin.root().path() + " crashed: " + admin.root().crashReason()));
      }
      case "ready" -> {
        List<String> reasons = admin.notReadyReasons(MAX_REASONS);
        yield new Report(reasons.isEmpty(), reasons);
      }
      case "started" -> new Report(started, started ? List.of()
          : List.of(admin.root().path() + " has not been RUNNING yet (it is " + admin.root().state() + ")"));
      default -> {
        List<String> paths = groups.get(name);
        if (paths == null) throw new IllegalArgumentException("No health probe or group \"" + name + "\"");
        yield group(name, paths);
      }
    };
  }

  /** Names of the configured groups, in the order configured. */
  Set<String> groupNames() {
    return groups.keySet();
  }

  /** Reasons of unhealthy RUNNING services under the root, for readiness. */
  List<String> checkFailures(int limit) {
    return checks.failures(admin.root(), limit);
  }

  // a group is UP when every service it names, and everything below each, is RUNNING and healthy
  private Report group(String name, List<String> paths) {
    List<String> reasons = new ArrayList<>();
    for (String path : paths) {
      if (reasons.size() >= MAX_REASONS) break;
      Optional<Service> member = ServicePaths.find(admin.root(), path);
      if (member.isEmpty()) {
        reasons.add("no service at path " + path + " (configured in health group " + name + ")");
        continue;
      }
      DependencyGraph.walk(member.get(), (s, depth) -> {
        if (s.state() != State.RUNNING && reasons.size() < MAX_REASONS) reasons.add(s.path() + " is " + s.state());
      });
      reasons.addAll(checks.failures(member.get(), MAX_REASONS - reasons.size()));
    }
    return new Report(reasons.isEmpty(), List.copyOf(reasons));
  }

  /**
   * Checks a group definition.
   *
   * @throws IllegalArgumentException naming the bad name or path and the accepted forms
   */
  static void checkGroup(String name, List<String> paths) {
    if (name == null || !GROUP_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("Invalid health group name \"" + name
          + "\": use lower-case letters, digits, - and _ (at most 64), such as \"db\"");
    }
    if (BUILT_IN.contains(name)) {
      throw new IllegalArgumentException("Invalid health group name \"" + name + "\": live, ready and started are the admin's own probes");
    }
    if (paths.isEmpty()) {
      throw new IllegalArgumentException("Health group \"" + name + "\" names no service: give at least one path such as Worker/App/Db");
    }
    for (String p : paths) {
      if (p == null || p.isBlank()) {
        throw new IllegalArgumentException("Health group \"" + name + "\" has a blank path: give service paths such as Worker/App/Db");
      }
    }
  }
}
