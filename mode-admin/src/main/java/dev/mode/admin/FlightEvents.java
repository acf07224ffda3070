package dev.mode.admin;

import dev.mode.Service;
import dev.mode.State;
import dev.mode.TimerInfo;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * Emits the service lifecycle to Java Flight Recorder, so JDK Mission Control shows it on the
 * timeline: {@code dev.mode.ServiceStart} and {@code dev.mode.ServiceStop} span a start or a stop
 * (begun when the service enters STARTING or STOPPING, committed when it leaves), {@code
 * dev.mode.ServiceCrash} and {@code dev.mode.ServiceRestart} mark an instant, and {@code
 * dev.mode.TimerRuns} reports timer and cron runs. The core has no per-run hook, so timer runs are
 * read from {@link Service#timers()} each time {@link #pollTimers} is called (the admin does it every
 * second): one event per timer that ran since the last poll, carrying the runs, overlaps, late
 * wake-ups and errors since then and the last run's duration. Events cost nothing unless a recording
 * enables them (they are enabled by default in a recording). Thread-safe.
 */
final class FlightEvents implements Service.Listener {
  private final Map<Service, ServiceStart> starting = new ConcurrentHashMap<>();
  private final Map<Service, ServiceStop> stopping = new ConcurrentHashMap<>();
  // timer counters at the last poll, by service and timer name; touched by the polling thread only
  private final Map<Service, Map<String, TimerInfo>> lastSeen = new HashMap<>();

  @Override
  public void stateChanged(Service service, State from, State to) {
    span(starting, ServiceStart::new, service, from, to, State.STARTING);
    span(stopping, ServiceStop::new, service, from, to, State.STOPPING);
    if (to == State.INIT && from.isTerminal()) {
      ServiceRestart e = new ServiceRestart();
      if (e.shouldCommit()) {
        e.path = service.path();
        e.previousState = from.name();
        e.restartCount = service.restartCount();
        e.commit();
      }
    }
  }

  @Override
  public void crashed(Service service, Throwable reason) {
    ServiceCrash e = new ServiceCrash();
    if (e.shouldCommit()) {
      e.path = service.path();
      e.reasonClass = reason.getClass().getName();
      e.reason = String.valueOf(reason.getMessage());
      e.commit();
    }
  }

  /**
   * Loads and registers the event classes now. The first use of an event class costs JFR some
   * 100 ms of set-up; done here, in the admin's start, it is not paid by the first service that
   * starts or crashes afterwards.
   */
  static void warmUp() {
    new ServiceStart().shouldCommit();
    new ServiceStop().shouldCommit();
    new ServiceCrash().shouldCommit();
    new ServiceRestart().shouldCommit();
    new TimerRuns().shouldCommit();
  }

  /** Emits a {@code dev.mode.TimerRuns} event for each timer of the tree that ran since the last call. */
  void pollTimers(Service root) {
    Map<Service, Map<String, TimerInfo>> now = new HashMap<>();
    for (Tree.Entry entry : Tree.walk(root)) {
      Service s = entry.service();
      var timers = s.timers();
      if (timers.isEmpty()) continue;
      Map<String, TimerInfo> before = lastSeen.getOrDefault(s, Map.of());
      Map<String, TimerInfo> seen = new HashMap<>();
      for (TimerInfo t : timers) {
        seen.put(t.name(), t);
        TimerInfo old = before.get(t.name());
        long runs = t.runs() - (old == null ? 0 : old.runs());
        if (runs <= 0) continue;
        TimerRuns e = new TimerRuns();
        if (!e.shouldCommit()) continue;
        e.path = s.path();
        e.timer = t.name();
        e.kind = t.kind();
        e.schedule = t.schedule();
        e.runs = runs;
        e.overlaps = t.overlaps() - (old == null ? 0 : old.overlaps());
        e.lateWakeups = t.driftsLate() - (old == null ? 0 : old.driftsLate());
        e.errors = t.errors() - (old == null ? 0 : old.errors());
        e.lastDuration = t.lastDuration().map(java.time.Duration::toNanos).orElse(0L);
        e.commit();
      }
      now.put(s, seen);
    }
    lastSeen.clear();
    lastSeen.putAll(now);
  }

  // begins a span event when the service enters phase; commits it, with where it went, when it leaves
  private static <E extends Event & Span> void span(
      Map<Service, E> open, java.util.function.Supplier<E> create, Service service, State from, State to, State phase) {
    if (to == phase) {
      E e = create.get();
      e.begin();
      open.put(service, e);
    } else if (from == phase) {
      E e = open.remove(service);
      if (e == null) return;
      e.end();
      if (e.shouldCommit()) {
        e.set(service.path(), to.name());
        e.commit();
      }
    }
  }

  /** An event that spans a lifecycle phase of one service. */
  interface Span {
    void set(String path, String outcome);
  }

  @Name("dev.mode.ServiceStart")
  @Label("Service Start")
  @Category({"Mode", "Lifecycle"})
  @Description("A service's start, from STARTING to RUNNING (or to where it went instead)")
  @StackTrace(false)
  static final class ServiceStart extends Event implements Span {
    @Label("Path")
    String path;

    @Label("Outcome")
    @Description("The state the start ended in: RUNNING, CRASHED or STOPPING")
    String outcome;

    @Override
    public void set(String path, String outcome) {
      this.path = path;
      this.outcome = outcome;
    }
  }

  @Name("dev.mode.ServiceStop")
  @Label("Service Stop")
  @Category({"Mode", "Lifecycle"})
  @Description("A service's stop, from STOPPING to SHUTDOWN (or CRASHED)")
  @StackTrace(false)
  static final class ServiceStop extends Event implements Span {
    @Label("Path")
    String path;

    @Label("Outcome")
    String outcome;

    @Override
    public void set(String path, String outcome) {
      this.path = path;
      this.outcome = outcome;
    }
  }

  @Name("dev.mode.ServiceCrash")
  @Label("Service Crash")
  @Category({"Mode", "Lifecycle"})
  @StackTrace(false)
  static final class ServiceCrash extends Event {
    @Label("Path")
    String path;

    @Label("Reason Class")
    String reasonClass;

    @Label("Reason")
    String reason;
  }

  @Name("dev.mode.ServiceRestart")
  @Label("Service Restart")
  @Category({"Mode", "Lifecycle"})
  @Description("A stopped or crashed service was reset for a restart")
  @StackTrace(false)
  static final class ServiceRestart extends Event {
    @Label("Path")
    String path;

    @Label("Previous State")
    String previousState;

    @Label("Restart Count")
    int restartCount;
  }

  @Name("dev.mode.TimerRuns")
  @Label("Timer Runs")
  @Category({"Mode", "Timers"})
  @Description("Runs of one timer or cron job since the previous event for it")
  @StackTrace(false)
  static final class TimerRuns extends Event {
    @Label("Path")
    String path;

    @Label("Timer")
    String timer;

    @Label("Kind")
    String kind;

    @Label("Schedule")
    String schedule;

    @Label("Runs")
    long runs;

    @Label("Overlaps")
    @Description("Runs that took longer than the interval")
    long overlaps;

    @Label("Late Wake-ups")
    long lateWakeups;

    @Label("Errors")
    long errors;

    @Label("Last Duration")
    @Timespan(Timespan.NANOSECONDS)
    long lastDuration;
  }
}
