package dev.mode.worker;

import dev.mode.Service;
import dev.mode.graph.DependencyGraph;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The one thread dump of Mode for Java: every thread of the JVM, virtual threads included, grouped
 * under the path of the service that owns them (from each service's {@link Service#threads()}), in
 * the tree's pre-order; threads no service owns come last. Each thread has its name, {@code
 * virtual} or {@code platform}, its state and its stack. SIGUSR1, the console's {@code threads} and
 * {@code stack}, the blocking detector, the Worker's shutdown report and the admin's {@code
 * /threads} all take their stacks here and print them with {@link #toText()}, {@link #describe} and
 * {@link #stack}.
 *
 * <pre>{@code
 * System.err.print(ThreadDump.take(app).toText());
 * }</pre>
 *
 * <p>Services' threads come from {@link Service#threads()} and {@link Thread#getStackTrace()};
 * platform threads from {@link Thread#getAllStackTraces()}. Virtual threads that no service owns
 * (those of the program's own executors) are not listed: the only API that lists them, the JDK's
 * JSON thread dump ({@code HotSpotDiagnosticMXBean.dumpThreads}, also behind {@code jcmd
 * Thread.dump_to_file}), crashes JDK 25.0.3 (SIGSEGV in {@code GetThreadSnapshotClosure}) when
 * virtual threads mount and unmount while it runs: a loop of dumps against busy virtual threads
 * crashed the JVM within a minute, serialised or not.
 *
 * <p>Threading: safe from any thread. Every stack this class takes, in {@link #take} and {@link
 * #stackOf}, is taken while holding one process-wide gate, so at most one thread of the process
 * walks other threads' stacks at a time; a caller waits for the dump in progress to end. A taken
 * dump is immutable.
 */
public final class ThreadDump {
  /**
   * One thread.
   *
   * @param id the thread id
   * @param name the thread's name (may be empty)
   * @param virtual whether it is a virtual thread
   * @param state its {@link Thread.State} name
   * @param stack its frames, innermost first
   */
  public record ThreadEntry(long id, String name, boolean virtual, String state, List<String> stack) {
    /** Copies {@code stack}. */
    public ThreadEntry {
      stack = List.copyOf(stack);
    }
  }

  /**
   * The threads of one service, or (with {@code service} null) of no service.
   *
   * @param service the service's path, or null for the threads no service owns
   * @param state the service's state name when the dump was taken, or null for no service
   * @param threads its threads
   */
  public record Group(String service, String state, List<ThreadEntry> threads) {
    /** Copies {@code threads}. */
    public Group {
      threads = List.copyOf(threads);
    }
  }

  // the process-wide gate around every stack walk (see the class comment)
  private static final ReentrantLock GATE = new ReentrantLock();

  private final Instant time;
  private final List<Group> groups;

  private ThreadDump(Instant time, List<Group> groups) {
    this.time = time;
    this.groups = List.copyOf(groups);
  }

  /**
   * Takes a dump: a group per service of the tree under {@code root} (pre-order, a service with no
   * thread included), then the threads no service owns. Waits while another dump or stack walk of
   * this process is in progress.
   */
  public static ThreadDump take(Service root) {
    Objects.requireNonNull(root, "root");
    return exclusively(() -> takeNow(root));
  }

  /**
   * The stack of one thread, taken under the same process-wide gate as {@link #take}; use it instead
   * of {@link Thread#getStackTrace()} when looking at other threads.
   */
  public static StackTraceElement[] stackOf(Thread thread) {
    Objects.requireNonNull(thread, "thread");
    return exclusively(thread::getStackTrace);
  }

  /** Runs {@code walk} while no other thread of the process takes a dump or a stack. */
  static <T> T exclusively(Supplier<T> walk) {
    GATE.lock();
    try {
      return walk.get();
    } finally {
      GATE.unlock();
    }
  }

  private static ThreadDump takeNow(Service root) {
    Instant now = Instant.now();
    List<Group> groups = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    DependencyGraph.walk(root, (s, depth) -> {
      List<ThreadEntry> threads = new ArrayList<>();
      for (Thread t : s.threads()) {
        if (seen.add(t.threadId())) threads.add(entry(t, t.getStackTrace()));
      }
      groups.add(new Group(s.path(), s.state().name(), threads));
    });
    List<ThreadEntry> rest = new ArrayList<>();
    for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
      if (seen.add(e.getKey().threadId())) rest.add(entry(e.getKey(), e.getValue()));
    }
    rest.sort((a, b) -> Long.compare(a.id(), b.id()));
    groups.add(new Group(null, null, rest));
    return new ThreadDump(now, groups);
  }

  private static ThreadEntry entry(Thread t, StackTraceElement[] stack) {
    List<String> frames = new ArrayList<>(stack.length);
    for (StackTraceElement f : stack) frames.add(f.toString());
    return new ThreadEntry(t.threadId(), t.getName(), t.isVirtual(), t.getState().name(), frames);
  }

  /** When the dump was taken. */
  public Instant time() {
    return time;
  }

  /** The groups: one per service in pre-order, then the threads no service owns (service null). */
  public List<Group> groups() {
    return groups;
  }

  /**
   * The dump as text, the format SIGUSR1 prints: a header line, then per service {@code == PATH
   * [STATE]}, then {@code == threads no service owns}; each thread a line {@code "NAME" #ID virtual
   * STATE} followed by its frames.
   */
  public String toText() {
    StringBuilder out = new StringBuilder(8192);
    out.append("Thread dump of process ")
        .append(ProcessHandle.current().pid())
        .append(" at ")
        .append(time)
        .append(" (Java ")
        .append(Runtime.version())
        .append(")\n");
    for (Group g : groups) {
      if (g.service() == null) {
        out.append("\n== threads no service owns\n");
      } else {
        out.append("\n== ").append(g.service()).append(" [").append(g.state()).append("]\n");
      }
      for (ThreadEntry t : g.threads()) appendThread(out, t);
    }
    return out.toString();
  }

  /** The threads of one service (not of its dependencies) as text, in {@link #toText()}'s format. */
  public static String ofService(Service service) {
    Objects.requireNonNull(service, "service");
    return exclusively(() -> {
      StringBuilder out = new StringBuilder();
      out.append("== ").append(service.path()).append(" [").append(service.state()).append("]\n");
      List<Thread> threads = service.threads();
      if (threads.isEmpty()) out.append("  (no task or timer thread is running)\n");
      for (Thread t : threads) appendThread(out, entry(t, t.getStackTrace()));
      return out.toString();
    });
  }

  private static void appendThread(StringBuilder out, ThreadEntry t) {
    out.append("  \"")
        .append(t.name().isEmpty() ? "#" + t.id() : t.name())
        .append("\" #")
        .append(t.id())
        .append(t.virtual() ? " virtual " : " platform ")
        .append(t.state())
        .append('\n');
    for (String f : t.stack()) out.append("      at ").append(f).append('\n');
  }

  /** One thread in one line's form: {@code "NAME" (virtual, RUNNABLE)}. */
  public static String describe(Thread t) {
    return "\"" + t.getName() + "\" (" + (t.isVirtual() ? "virtual" : "platform") + ", " + t.getState() + ")";
  }

  /** Frames as the dump prints them, one {@code       at FRAME} line each. */
  public static String stack(StackTraceElement[] frames) {
    StringBuilder sb = new StringBuilder();
    for (StackTraceElement f : frames) sb.append("      at ").append(f).append('\n');
    return sb.toString();
  }
}
