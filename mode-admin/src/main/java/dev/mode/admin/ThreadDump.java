package dev.mode.admin;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.HotSpotDiagnosticMXBean;
import dev.mode.Service;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A dump of every thread of the JVM, virtual threads included, grouped by the service that owns them
 * (from {@link Service#threads()}), and the rest in a last group. Platform threads come from {@link
 * Thread#getAllStackTraces()}; virtual threads that no service owns come from the JDK's JSON thread
 * dump ({@link HotSpotDiagnosticMXBean#dumpThreads}), the only API that lists them. Taken once, then
 * written as JSON or text.
 */
final class ThreadDump {
  /** One thread: {@code container} names its thread container for virtual threads no service owns. */
  record ThreadEntry(long id, String name, boolean virtual, String state, String container, List<String> stack) {}

  /** The threads of one service ({@code service} non-null), or of no service. */
  record Group(String service, List<ThreadEntry> threads) {}

  private static final ObjectMapper MAPPER = new ObjectMapper();

  final List<Group> groups;
  final String note; // why part of the dump is missing, or null

  private ThreadDump(List<Group> groups, String note) {
    this.groups = groups;
    this.note = note;
  }

  static ThreadDump take(Service root) {
    Map<String, List<ThreadEntry>> byService = new LinkedHashMap<>();
    Set<Long> seen = new HashSet<>();
    for (Tree.Entry e : Tree.walk(root)) {
      List<Thread> threads = e.service().threads();
      if (threads.isEmpty()) continue;
      List<ThreadEntry> list = byService.computeIfAbsent(e.service().path(), k -> new ArrayList<>());
      for (Thread t : threads) {
        if (seen.add(t.threadId())) list.add(entry(t, t.getStackTrace(), null));
      }
    }
    List<ThreadEntry> rest = new ArrayList<>();
    for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
      Thread t = e.getKey();
      if (seen.add(t.threadId())) rest.add(entry(t, e.getValue(), null));
    }
    String note = null;
    try {
      for (ThreadEntry v : otherVirtualThreads()) if (seen.add(v.id())) rest.add(v);
    } catch (IOException | RuntimeException ex) {
      note = "virtual threads that no service owns are missing: the JDK thread dump failed: " + ex;
    }
    rest.sort((a, b) -> Long.compare(a.id(), b.id()));
    List<Group> groups = new ArrayList<>();
    byService.forEach((path, list) -> groups.add(new Group(path, List.copyOf(list))));
    groups.add(new Group(null, List.copyOf(rest)));
    return new ThreadDump(List.copyOf(groups), note);
  }

  private static ThreadEntry entry(Thread t, StackTraceElement[] stack, String container) {
    List<String> frames = new ArrayList<>(stack.length);
    for (StackTraceElement f : stack) frames.add(f.toString());
    return new ThreadEntry(t.threadId(), t.getName(), t.isVirtual(), t.getState().name(), container, frames);
  }

  // Every thread in the JDK's JSON dump outside the root container: virtual threads of executors.
  private static List<ThreadEntry> otherVirtualThreads() throws IOException {
    Path dir = Files.createTempDirectory("mode-threads");
    Path file = dir.resolve("threads.json");
    try {
      ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
          .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
      JsonNode containers = MAPPER.readTree(file.toFile()).path("threadDump").path("threadContainers");
      List<ThreadEntry> out = new ArrayList<>();
      for (JsonNode c : containers) {
        String container = c.path("container").asText();
        if (container.equals("<root>")) continue; // platform threads: listed from Thread already
        for (JsonNode t : c.path("threads")) {
          List<String> stack = new ArrayList<>();
          for (JsonNode f : t.path("stack")) stack.add(f.asText());
          out.add(new ThreadEntry(
              t.path("tid").asLong(), t.path("name").asText(), true,
              t.path("state").asText("UNKNOWN"), container, stack));
        }
      }
      return out;
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    }
  }

  void writeJson(JsonGenerator g) throws IOException {
    g.writeStartObject();
    if (note != null) g.writeStringField("note", note);
    g.writeArrayFieldStart("groups");
    for (Group group : groups) {
      g.writeStartObject();
      if (group.service() == null) {
        g.writeNullField("service");
      } else {
        g.writeStringField("service", group.service());
      }
      g.writeArrayFieldStart("threads");
      for (ThreadEntry t : group.threads()) {
        g.writeStartObject();
        g.writeNumberField("id", t.id());
        g.writeStringField("name", t.name());
        g.writeBooleanField("virtual", t.virtual());
        g.writeStringField("state", t.state());
        if (t.container() != null) g.writeStringField("container", t.container());
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

  String toText() {
    StringBuilder b = new StringBuilder();
    if (note != null) b.append("# ").append(note).append('\n');
    for (Group group : groups) {
      b.append("== ")
          .append(group.service() == null ? "(no service)" : group.service())
          .append(" (")
          .append(group.threads().size())
          .append(group.threads().size() == 1 ? " thread)\n" : " threads)\n");
      for (ThreadEntry t : group.threads()) {
        b.append('"').append(t.name()).append("\" #").append(t.id())
            .append(t.virtual() ? " virtual " : " platform ").append(t.state());
        if (t.container() != null) b.append(" in ").append(t.container());
        b.append('\n');
        for (String f : t.stack()) b.append("    at ").append(f).append('\n');
      }
      b.append('\n');
    }
    return b.toString();
  }
}
