package dev.mode.admin;

import dev.mode.Service;
import dev.mode.State;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
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
 * dev.mode.TimerRun} records each timer and cron run when it ends (its lateness, runtime, whether it
 * overlapped, its error), heard through the core's {@link Service.Listener#timerRan}. Events cost nothing unless a recording
 * enables them (they are enabled by default in a recording). Thread-safe.
 */
final class FlightEvents implements Service.Listener {
  private final Map<Service, ServiceStart> starting = new ConcurrentHashMap<>();
  private final Map<Service, ServiceStop> stopping = new ConcurrentHashMap<>();

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

  // A CRASHED service stays CRASHED through its stop, so no state change marks that stop: it is
  // recorded here, when it ends, with its length in stopTime.
  @Override
  public void stopped(Service service, Duration took) {
    if (service.state() != State.CRASHED) return;
    ServiceStop e = new ServiceStop();
    if (e.shouldCommit()) {
      e.set(service.path(), State.CRASHED.name());
      e.stopTime = took.toNanos();
      e.commit();
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
    new TimerRun().shouldCommit();
  }

  @Override
  public void timerRan(
      Service service, String timer, Duration lateness, Duration runtime, boolean overlapped, Throwable error) {
    TimerRun e = new TimerRun();
    if (!e.shouldCommit()) return;
    e.path = service.path();
    e.timer = timer;
    e.lateness = lateness.toNanos();
    e.runtime = runtime.toNanos();
    e.overlapped = overlapped;
    e.error = error == null ? null : error.toString();
    e.commit();
  }

  // begins a span event when the service enters phase; commits it, with where it went, when it leaves
  private static <E extends SpanEvent> void span(
      Map<Service, E> open, Supplier<E> create, Service service, State from, State to, State phase) {
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

  /** An event that spans a lifecycle phase of one service: where, and the state it ended in. */
  abstract static class SpanEvent extends Event {
    @Label("Path")
    String path;

    @Label("Outcome")
    @Description("The state the phase ended in, e.g. RUNNING, SHUTDOWN or CRASHED")
    String outcome;

    final void set(String path, String outcome) {
      this.path = path;
      this.outcome = outcome;
    }
  }

  @Name("dev.mode.ServiceStart")
  @Label("Service Start")
  @Category({"Mode", "Lifecycle"})
  @Description("A service's start, from STARTING to RUNNING (or to where it went instead)")
  @StackTrace(false)
  static final class ServiceStart extends SpanEvent {}

  @Name("dev.mode.ServiceStop")
  @Label("Service Stop")
  @Category({"Mode", "Lifecycle"})
  @Description("A service's stop, from STOPPING to SHUTDOWN; for a crashed service (which stays CRASHED)"
      + " committed when its stop ends, with the stop's length in Stop Time")
  @StackTrace(false)
  static final class ServiceStop extends SpanEvent {
    @Label("Stop Time")
    @Description("How long the stop of a crashed service took (0 for a span from STOPPING)")
    @Timespan(Timespan.NANOSECONDS)
    long stopTime;
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

  @Name("dev.mode.TimerRun")
  @Label("Timer Run")
  @Category({"Mode", "Timers"})
  @Description("One run of a timer or cron job, committed when it ends")
  @StackTrace(false)
  static final class TimerRun extends Event {
    @Label("Path")
    String path;

    @Label("Timer")
    String timer;

    @Label("Lateness")
    @Description("How late the run began against its due time")
    @Timespan(Timespan.NANOSECONDS)
    long lateness;

    @Label("Runtime")
    @Timespan(Timespan.NANOSECONDS)
    long runtime;

    @Label("Overlapped")
    @Description("The run took longer than the timer's interval")
    boolean overlapped;

    @Label("Error")
    String error;
  }
}
