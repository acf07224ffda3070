package dev.mode.worker;

import dev.mode.Activity;
import dev.mode.Durations;
import dev.mode.Service;
import dev.mode.graph.DependencyGraph;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingStream;

/**
 * The Worker's blocking detector: reports, at WARN with the offending thread's stack,
 *
 * <ul>
 *   <li>a lifecycle callback or a timer or cron run (any service's {@link Service#activities()})
 *       that has not returned within the blocking timeout, once per run;
 *   <li>a virtual thread pinned to its carrier while it blocked (JFR {@code jdk.VirtualThreadPinned},
 *       20 ms threshold, consumed in-process);
 *   <li>carrier starvation: a heartbeat virtual thread that has not run for the blocking timeout past
 *       its due time, with the carriers' stacks.
 * </ul>
 *
 * It reports; it never interrupts or kills anything. The watcher runs on a platform thread, so it
 * still works when no carrier is free. It is the Worker's first dependency: it starts first and stops
 * last, so it also watches the other services' start and stop.
 */
final class BlockingDetector extends Service {
  static final Duration PIN_THRESHOLD = Duration.ofMillis(20);

  private final Service root;
  private final Duration timeout;
  private final long pollNanos;
  private volatile long lastBeat;
  private Thread watcher; // confined to the start/stop thread
  private volatile RecordingStream pinning;
  private volatile boolean closed;

  BlockingDetector(Service root, Duration timeout) {
    this.root = root;
    this.timeout = timeout;
    this.pollNanos = Math.clamp(timeout.toNanos() / 4, 10_000_000L, 1_000_000_000L);
  }

  @Override
  protected void onStart() {
    lastBeat = System.nanoTime();
    addTask("heartbeat", this::heartbeat);
    watcher = Thread.ofPlatform().daemon().name("mode-blocking-detector").start(this::watch);
    log.info(
        "Blocking detector on: reports callbacks and timer runs still running after {}, pinned virtual"
            + " threads and starved carriers",
        Durations.format(timeout));
  }

  @Override
  protected void onStop() throws InterruptedException {
    watcher.interrupt();
    watcher.join(Duration.ofSeconds(5));
    closePinningStream();
  }

  private void closePinningStream() {
    closed = true;
    RecordingStream rs = pinning;
    if (rs != null) rs.close();
  }

  private void heartbeat() {
    while (!shouldStop()) {
      lastBeat = System.nanoTime();
      LockSupport.parkNanos(pollNanos);
      if (Thread.interrupted()) return;
    }
  }

  private void watch() {
    // JFR takes a while to start: here, not in onStart, so the start of the services is not held up
    pinning = startPinningStream();
    if (closed) closePinningStream();
    Set<Activity> reported = new HashSet<>();
    boolean starved = false;
    while (!Thread.currentThread().isInterrupted()) {
      long now = System.nanoTime();
      Set<Activity> seen = new HashSet<>();
      checkActivities(root, now, reported, seen);
      reported.retainAll(seen);
      long late = now - lastBeat - pollNanos;
      if (late > timeout.toNanos() && !shouldStop()) {
        if (!starved) reportStarvation(Duration.ofNanos(now - lastBeat));
        starved = true;
      } else {
        starved = false;
      }
      LockSupport.parkNanos(pollNanos);
    }
  }

  private void checkActivities(Service root, long now, Set<Activity> reported, Set<Activity> seen) {
    DependencyGraph.walk(root, (s, depth) -> {
      for (Activity a : s.activities()) {
        seen.add(a);
        long ran = now - a.sinceNanos();
        if (ran > timeout.toNanos() && reported.add(a)) {
          log.warn(
              "Blocking detected: {} of {} has not returned after {} (blocking timeout {}); thread {}:\n{}",
              a.what(),
              s.path(),
              Durations.format(Duration.ofNanos(ran)),
              Durations.format(timeout),
              ThreadDump.describe(a.thread()),
              ThreadDump.stack(ThreadDump.stackOf(a.thread())));
        }
      }
    });
  }

  private void reportStarvation(Duration since) {
    StringBuilder carriers = new StringBuilder();
    Map<Thread, StackTraceElement[]> all = ThreadDump.exclusively(Thread::getAllStackTraces);
    for (Map.Entry<Thread, StackTraceElement[]> e : all.entrySet()) {
      if (e.getKey().getClass().getName().equals("jdk.internal.misc.CarrierThread")) {
        carriers.append("  carrier ").append(ThreadDump.describe(e.getKey())).append(":\n")
            .append(ThreadDump.stack(e.getValue()));
      }
    }
    StringBuilder running = new StringBuilder();
    appendRunningVirtualThreads(root, running);
    log.warn(
        "Blocking detected: virtual threads cannot run: a heartbeat virtual thread has not run for {}"
            + " (blocking timeout {}); the carrier threads are all busy or pinned:\n{}"
            + "  services' virtual threads on a carrier now:\n{}",
        Durations.format(since),
        Durations.format(timeout),
        carriers,
        running.isEmpty() ? "  (none)\n" : running);
  }

  // the likely culprits: services' virtual threads that are mounted (RUNNABLE) right now
  private static void appendRunningVirtualThreads(Service root, StringBuilder out) {
    DependencyGraph.walk(root, (s, depth) -> {
      for (Thread t : s.threads()) {
        if (t.isVirtual() && t.getState() == Thread.State.RUNNABLE) {
          out.append("  ").append(s.path()).append(' ').append(ThreadDump.describe(t)).append(":\n")
              .append(ThreadDump.stack(ThreadDump.stackOf(t)));
        }
      }
    });
  }

  private RecordingStream startPinningStream() {
    try {
      RecordingStream rs = new RecordingStream();
      rs.enable("jdk.VirtualThreadPinned").withThreshold(PIN_THRESHOLD).withStackTrace();
      rs.onEvent("jdk.VirtualThreadPinned", this::reportPinned);
      rs.startAsync();
      return rs;
    } catch (RuntimeException | Error e) {
      log.warn("Cannot watch for pinned virtual threads (JFR unavailable: {})", e.toString());
      return null;
    }
  }

  private void reportPinned(RecordedEvent e) {
    StringBuilder stack = new StringBuilder();
    if (e.getStackTrace() != null) {
      for (RecordedFrame f : e.getStackTrace().getFrames()) {
        if (!f.isJavaFrame()) continue;
        stack.append("      at ")
            .append(f.getMethod().getType().getName())
            .append('.')
            .append(f.getMethod().getName())
            .append(f.getLineNumber() > 0 ? "(line " + f.getLineNumber() + ")" : "")
            .append('\n');
      }
    }
    String thread = e.getThread() == null ? "?" : e.getThread().getJavaName();
    log.warn(
        "Blocking detected: virtual thread \"{}\" was pinned to its carrier for {} while it blocked"
            + " (synchronized on JDK 21-23, a native frame, or class initialisation); its stack:\n{}",
        thread,
        Durations.format(e.getDuration()),
        stack);
  }
}
