package dev.mode.admin;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.mode.Service;
import dev.mode.TaskInfo;
import dev.mode.TimerInfo;
import dev.mode.graph.DependencyGraph;
import dev.mode.worker.ThreadDump;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * Writes the service tree as the JSON of {@code GET /services}: a flat list in pre-order (each service
 * before its dependencies) with each entry's depth and parent path, so a tree of any depth needs no
 * recursion to write or to read. Stateless.
 */
final class ServiceJson {
  private ServiceJson() {}

  static void writeTree(JsonGenerator g, Service root, boolean ready, ToLongFunction<Service> crashes)
      throws IOException {
    List<Service> services = new ArrayList<>();
    List<Integer> depths = new ArrayList<>();
    DependencyGraph.walk(root, (s, depth) -> {
      services.add(s);
      depths.add(depth);
    });
    g.writeStartObject();
    g.writeStringField("root", root.path());
    g.writeStringField("time", Instant.now().toString());
    g.writeBooleanField("ready", ready);
    g.writeNumberField("count", services.size());
    g.writeArrayFieldStart("services");
    for (int i = 0; i < services.size(); i++) writeService(g, services.get(i), depths.get(i), crashes);
    g.writeEndArray();
    g.writeEndObject();
  }

  static void writeService(JsonGenerator g, Service s, int depth, ToLongFunction<Service> crashes)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("label", s.label());
    g.writeStringField("path", s.path());
    Optional<Service> parent = s.parent();
    if (parent.isPresent()) {
      g.writeStringField("parent", parent.get().path());
    } else {
      g.writeNullField("parent");
    }
    g.writeNumberField("depth", depth);
    g.writeStringField("state", s.state().name());
    writeMillis(g, "uptimeMs", s.uptime());
    g.writeNumberField("restartCount", s.restartCount());
    g.writeNumberField("crashCount", crashes.applyAsLong(s));
    Throwable reason = s.crashReason();
    if (reason == null) {
      g.writeNullField("crashReason");
    } else {
      g.writeStringField("crashReason", reason.toString());
    }
    writeMillis(g, "startDurationMs", s.startDuration());
    writeMillis(g, "stopDurationMs", s.stopDuration());
    g.writeArrayFieldStart("tasks");
    for (TaskInfo t : s.tasks()) {
      g.writeStartObject();
      g.writeStringField("name", t.name());
      g.writeStringField("kind", t.kind());
      if (t.thread().isPresent()) {
        Thread th = t.thread().get();
        g.writeStringField("thread", th.getName());
        g.writeStringField("threadState", th.getState().name());
      } else {
        g.writeNullField("thread");
        g.writeNullField("threadState");
      }
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("timers");
    for (TimerInfo t : s.timers()) writeTimer(g, t);
    g.writeEndArray();
    g.writeEndObject();
  }

  /**
   * Writes a thread dump as the JSON of {@code GET /threads}: {@code groups}, one per service in
   * pre-order (with {@code service} and {@code state}), then one with {@code service} null for the
   * threads no service owns; each thread with id, name, virtual, state and stack. A service with no
   * thread has no group here.
   */
  static void writeThreads(JsonGenerator g, ThreadDump dump) throws IOException {
    g.writeStartObject();
    g.writeStringField("time", dump.time().toString());
    g.writeArrayFieldStart("groups");
    for (ThreadDump.Group group : dump.groups()) {
      if (group.service() != null && group.threads().isEmpty()) continue;
      g.writeStartObject();
      g.writeStringField("service", group.service());
      g.writeStringField("state", group.state());
      g.writeArrayFieldStart("threads");
      for (ThreadDump.ThreadEntry t : group.threads()) {
        g.writeStartObject();
        g.writeNumberField("id", t.id());
        g.writeStringField("name", t.name());
        g.writeBooleanField("virtual", t.virtual());
        g.writeStringField("state", t.state());
        g.writeArrayFieldStart("stack");
        for (String f : t.stack()) g.writeString(f);
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void writeTimer(JsonGenerator g, TimerInfo t) throws IOException {
    g.writeStartObject();
    g.writeStringField("name", t.name());
    g.writeStringField("kind", t.kind());
    g.writeStringField("schedule", t.schedule());
    g.writeNumberField("runs", t.runs());
    g.writeNumberField("overlaps", t.overlaps());
    g.writeNumberField("driftsEarly", t.driftsEarly());
    g.writeNumberField("driftsLate", t.driftsLate());
    g.writeNumberField("errors", t.errors());
    writeInstant(g, "lastRunStart", t.lastRunStart());
    writeMillis(g, "lastDurationMs", t.lastDuration());
    if (t.lastError().isPresent()) {
      g.writeStringField("lastError", t.lastError().get().toString());
    } else {
      g.writeNullField("lastError");
    }
    writeInstant(g, "nextRun", t.nextRun());
    g.writeEndObject();
  }

  private static void writeMillis(JsonGenerator g, String field, Optional<Duration> d) throws IOException {
    if (d.isPresent()) {
      g.writeNumberField(field, d.get().toNanos() / 1e6);
    } else {
      g.writeNullField(field);
    }
  }

  private static void writeInstant(JsonGenerator g, String field, Optional<Instant> i) throws IOException {
    if (i.isPresent()) {
      g.writeStringField(field, i.get().toString());
    } else {
      g.writeNullField(field);
    }
  }
}
