package dev.mode.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.HotSpotDiagnosticMXBean;
import dev.mode.Service;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A dump of every thread, virtual ones included, grouped under the path of the service that owns
 * them (from each service's {@link Service#threads()}); threads no service owns follow. Each thread
 * shows its name, {@code virtual} or {@code platform}, its state and its stack.
 *
 * <p>Platform threads come from {@link Thread#getAllStackTraces()}; virtual threads no service owns
 * come from the JDK's JSON thread dump ({@link HotSpotDiagnosticMXBean#dumpThreads}), which lists
 * every virtual thread started in a thread container. Thread-safe: each call takes fresh snapshots.
 */
final class ThreadDump {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ThreadDump() {}

  /** The whole dump as text, ready to print in one write. */
  static String of(Service root) {
    StringBuilder out = new StringBuilder(8192);
    out.append("Thread dump of process ")
        .append(ProcessHandle.current().pid())
        .append(" at ")
        .append(Instant.now())
        .append(" (Java ")
        .append(Runtime.version())
        .append(")\n");
    Set<Long> shown = new HashSet<>();
    appendService(out, root, shown);
    out.append("\n== threads no service owns\n");
    Map<Thread, StackTraceElement[]> platform = Thread.getAllStackTraces();
    List<Thread> sorted = new ArrayList<>(platform.keySet());
    sorted.sort((a, b) -> Long.compare(a.threadId(), b.threadId()));
    for (Thread t : sorted) {
      if (shown.add(t.threadId())) appendThread(out, t, platform.get(t));
    }
    appendOtherVirtualThreads(out, shown);
    return out.toString();
  }

  /** The threads of one service (not of its dependencies), as text. */
  static String ofService(Service service) {
    StringBuilder out = new StringBuilder();
    List<Thread> threads = service.threads();
    if (threads.isEmpty()) out.append("(no task or timer thread is running)\n");
    for (Thread t : threads) appendThread(out, t, t.getStackTrace());
    return out.toString();
  }

  private static void appendService(StringBuilder out, Service s, Set<Long> shown) {
    out.append("\n== ").append(s.path()).append(" [").append(s.state()).append("]\n");
    for (Thread t : s.threads()) {
      shown.add(t.threadId());
      appendThread(out, t, t.getStackTrace());
    }
    for (Service d : s.dependencies()) appendService(out, d, shown);
  }

  static void appendThread(StringBuilder out, Thread t, StackTraceElement[] stack) {
    out.append("  \"")
        .append(t.getName().isEmpty() ? "#" + t.threadId() : t.getName())
        .append("\" #")
        .append(t.threadId())
        .append(t.isVirtual() ? " virtual " : " platform ")
        .append(t.getState())
        .append('\n');
    for (StackTraceElement e : stack) out.append("      at ").append(e).append('\n');
  }

  // Virtual threads are not in getAllStackTraces(); the JDK's JSON dump has them all.
  private static void appendOtherVirtualThreads(StringBuilder out, Set<Long> shown) {
    Path file = null;
    try {
      file = Files.createTempFile("mode-threads", ".json");
      Files.delete(file); // dumpThreads refuses to overwrite
      ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
          .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
      JsonNode containers = JSON.readTree(file.toFile()).path("threadDump").path("threadContainers");
      for (JsonNode container : containers) {
        for (JsonNode t : container.path("threads")) {
          long tid = t.path("tid").asLong(-1);
          if (tid < 0 || !shown.add(tid)) continue;
          String name = t.path("name").asText("");
          out.append("  \"")
              .append(name.isEmpty() ? "#" + tid : name)
              .append("\" #")
              .append(tid)
              .append(t.path("virtual").asBoolean(true) ? " virtual " : " platform ")
              .append(t.path("state").asText("UNKNOWN"))
              .append("  (in ")
              .append(container.path("container").asText())
              .append(")\n");
          for (JsonNode frame : t.path("stack")) out.append("      at ").append(frame.asText()).append('\n');
        }
      }
    } catch (IOException | RuntimeException e) {
      out.append("  (virtual threads outside services could not be listed: ").append(e).append(")\n");
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          // a temp file left behind is harmless
        }
      }
    }
  }
}
