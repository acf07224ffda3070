package dev.mode.test;

import dev.mode.Activity;
import dev.mode.Service;
import dev.mode.TaskInfo;
import dev.mode.graph.DependencyGraph;
import java.time.Duration;

/** What a service tree is doing right now, for the message of a wait that timed out. */
final class ServiceReport {
  private static final int FRAMES = 16;

  private ServiceReport() {}

  static String of(Service root) {
    StringBuilder sb = new StringBuilder();
    DependencyGraph.walk(
        root,
        (s, depth) -> {
          String indent = "  ".repeat(depth);
          sb.append(indent).append(s.path()).append(" is ").append(s.state());
          sb.append(" (restartCount=").append(s.restartCount());
          Throwable reason = s.crashReason();
          if (reason != null) sb.append(", crash reason: ").append(reason);
          sb.append(")\n");
          long now = System.nanoTime();
          for (Activity a : s.activities()) {
            sb.append(indent).append("  in ").append(a.what()).append(" for ");
            sb.append(Duration.ofNanos(now - a.sinceNanos()).toMillis()).append(" ms on ").append(a.thread().getName());
            sb.append('\n');
            stack(sb, indent + "    ", a.thread());
          }
          for (TaskInfo t : s.tasks()) {
            if (!"task".equals(t.kind())) continue; // timer runs are listed as activities
            sb.append(indent).append("  task ").append(t.name());
            if (t.thread().isEmpty()) {
              sb.append(" (not started)\n");
              continue;
            }
            Thread th = t.thread().get();
            sb.append(" (").append(th.getState()).append(")\n");
            stack(sb, indent + "    ", th);
          }
        });
    return sb.toString();
  }

  private static void stack(StringBuilder sb, String indent, Thread t) {
    StackTraceElement[] frames = t.getStackTrace();
    for (int i = 0; i < frames.length && i < FRAMES; i++) sb.append(indent).append("at ").append(frames[i]).append('\n');
    if (frames.length > FRAMES) sb.append(indent).append("... ").append(frames.length - FRAMES).append(" more\n");
  }
}
