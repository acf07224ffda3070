package dev.mode.supervisor;

import dev.mode.Durations;
import dev.mode.Service;
import dev.mode.ServiceException;
import dev.mode.State;
import dev.mode.Task;
import dev.mode.supervisor.Slots.Slot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.locks.LockSupport;

/**
 * A service that supervises other services the way an Erlang/OTP supervisor does: when a supervised
 * service crashes, the supervisor restarts it (and, depending on the strategy, some of its
 * siblings), stops it, or lets the crash propagate. The strategies are {@link OneForOneSupervisor},
 * {@link OneForAllSupervisor}, {@link RestForOneSupervisor}, {@link ForfeitOneForOneSupervisor},
 * {@link ForfeitOneForAllSupervisor} and {@link CrashingSupervisor}.
 *
 * <pre>{@code
 * OneForOneSupervisor supervisor = new OneForOneSupervisor(3, Duration.ofSeconds(5));
 * supervisor.add(new Fetcher(), new Indexer());
 * supervisor.start();
 * }</pre>
 *
 * <h2>Supervised services</h2>
 *
 * <p>{@link #add(Service...)} supervises services and makes them dependencies of the supervisor, so
 * they start after it, stop before it and appear under it in the service tree. It works before start
 * (from a constructor too) and while the supervisor runs (then each service is started at once).
 * Dependencies added directly with {@code addDependency} or returned by {@code onInitDependencies}
 * are supervised too, after those given to {@code add}. The <em>supervised order</em> (used by
 * {@link RestForOneSupervisor} and for the order of group restarts) is the order of {@code add}.
 *
 * <h2>Event-driven</h2>
 *
 * <p>The core tells the supervisor of a crash at once, on the crashing thread; the supervisor queues
 * it and handles it on its own virtual thread (a task named {@code supervise}; a subclass must not
 * declare a task of that name). So the restarts of one supervisor happen one at a time, in the
 * order of the crashes, and no crash is lost. A crash
 * already dealt with (the service was restarted meanwhile, for example as part of a one-for-all
 * restart) is skipped. No restart happens while the supervisor itself is stopping, stopped or
 * crashed.
 * On a {@link dev.mode.time.ManualClock}, each crash queued here and each back-off wake-up counts as
 * clock work until it is handled, so {@code advance} returns with the restarts done.
 *
 * <h2>Restart intensity</h2>
 *
 * <p>At most {@code maxRestarts} restarts within any sliding window of length {@code over}, as in
 * OTP: a restart counts at the moment the supervisor decides it (when it handles the crash, before
 * any back-off delay), and a restart made exactly {@code over} ago is out of the window. A group
 * restart (one-for-all, rest-for-one) counts once. A crash that would need one restart more is not
 * restarted: the supervisor logs "Max restarts exceeded: ...", stops every supervised service (in
 * reverse order) and crashes itself with {@link MaxRestartsExceeded}, which propagates like any
 * crash: to an outer supervisor, or up to the Worker. A restart whose new start fails counts as a
 * new crash of that service. The no-argument constructors mean {@value #DEFAULT_MAX_RESTARTS}
 * restarts within 5 seconds.
 *
 * <h2>Back-off and replacement</h2>
 *
 * <p>With a {@link #setBackoff(Backoff) back-off}, a crashed service (or group) is stopped at once
 * and restarted after the back-off delay, measured on the supervisor's {@link #clock()}. Crashes of
 * other services are handled meanwhile. With a {@link #setReplacement(Replacement) replacement
 * factory}, each service due for a restart is replaced by what the factory builds (see {@link
 * Replacement}).
 *
 * <h2>Threading</h2>
 *
 * <p>All public methods are thread-safe. Restarts run on the supervisor's {@code supervise} task
 * thread, one at a time; {@code add} starts the added service on the calling thread.
 */
public abstract class SupervisorStrategy extends Service {
  /** The restart limit of the no-argument constructors. */
  public static final int DEFAULT_MAX_RESTARTS = 3;
  /** The restart window of the no-argument constructors: 5 seconds. */
  public static final Duration DEFAULT_OVER = Duration.ofSeconds(5);

  /**
   * Builds a service to run instead of one that crashed (or, for group strategies, one that is
   * restarted with it). Called on the supervisor's thread with the old service, already stopped, and
   * its index in the supervised order. Returning {@code old} itself restarts it as usual; returning a
   * new service removes the old one from the supervisor's dependencies and adds the new one: it takes
   * the old one's place in the supervised order (and its restart count), but as a dependency it is
   * the newest, so the supervisor's own stop stops it first and a restart of the whole supervisor
   * starts it last. A factory that throws (or returns null, or a service that has a parent) counts as
   * another crash of that service.
   */
  @FunctionalInterface
  public interface Replacement {
    /** A new service to run instead of {@code old}, or {@code old} to restart it. */
    Service replace(Service old, int index) throws Exception;
  }

  // which supervised services a crash affects
  enum Scope {
    ONE,
    ALL,
    REST
  }

  // what happens to the affected services
  enum Policy {
    RESTART,
    FORFEIT,
    ESCALATE
  }

  private final int maxRestarts;
  private final Duration over;
  private final Scope scope;
  private final Policy policy;

  // the three collaborators: the supervised order (thread-safe), the arithmetic of the limit and
  // back-off (pure), the mechanism of restarts (supervise task only)
  private final Slots slots = new Slots();
  private final RestartIntensity intensity;
  private final Restarter restarter;

  private final ConcurrentLinkedDeque<Event> events = new ConcurrentLinkedDeque<>();
  private final Settling settling = new Settling(); // a ManualClock's advance waits for queued events
  private volatile Thread supervisorThread;
  private volatile Backoff backoff;
  private volatile Replacement replacement;
  private volatile int totalRestarts; // written by the supervise task only

  // touched only by the supervise task (one at a time: a new run's task starts after the old one's
  // stop joined it)
  private final List<Pending> pending = new ArrayList<>();

  SupervisorStrategy(int maxRestarts, Duration over, Scope scope, Policy policy) {
    if (maxRestarts < 0) {
      throw new IllegalArgumentException(
          "maxRestarts must be >= 0, got " + maxRestarts + " (0 gives up at the first crash)");
    }
    if (over == null) {
      throw new IllegalArgumentException(
          "over (the restart window) must not be null; for example Duration.ofSeconds(5)");
    }
    if (over.isNegative() || over.isZero()) {
      throw new IllegalArgumentException(
          "over (the restart window) must be positive, got " + Durations.format(over)
              + "; for example Duration.ofSeconds(5)");
    }
    this.maxRestarts = maxRestarts;
    this.over = over;
    this.scope = scope;
    this.policy = policy;
    this.intensity = new RestartIntensity(maxRestarts, Durations.toNanosSaturated(over));
    this.restarter = new Restarter(this, slots, log);
  }

  // ------------------------------------------------------------------------------------------
  // Supervised services

  /**
   * Supervises {@code services} and adds them as dependencies, in the order given, after those
   * already supervised. Before start (a constructor included) they are started with the supervisor;
   * while it runs, each is started now and the call returns once it runs. A service already
   * supervised here is skipped.
   *
   * @throws IllegalArgumentException if {@code services} or one of them is null, or a service is the
   *     supervisor itself or would make a cycle
   * @throws IllegalStateException if a service already has another parent
   * @throws ServiceException if a service added to a running supervisor fails to start; it is then
   *     stopped and neither supervised nor a dependency any more (the services before it stay)
   */
  public final void add(Service... services) {
    if (services == null) throw new IllegalArgumentException("Cannot supervise null services");
    for (int i = 0; i < services.length; i++) {
      if (services[i] == null) {
        throw new IllegalArgumentException(
            "Cannot supervise null (argument " + i + " of " + services.length + " given to " + path() + ".add)");
      }
      if (services[i] == this) {
        throw new IllegalArgumentException("Cannot make " + path() + " supervise itself");
      }
    }
    for (Service s : services) addOne(s);
  }

  private void addOne(Service s) {
    Slot slot = slots.addIfAbsent(s);
    if (slot == null) return;
    try {
      addDependency(s);
      slot.attached = true;
      addRuntimeDependency(s); // already a dependency: only starts it if the supervisor runs
    } catch (RuntimeException e) {
      slots.forget(slot);
      if (slot.attached && s.parent().orElse(null) == this) {
        try {
          removeDependency(s);
        } catch (RuntimeException again) {
          e.addSuppressed(again);
        }
      }
      throw e;
    }
  }

  /**
   * Stops supervising {@code service}: stops it and removes it from the dependencies.
   *
   * @throws IllegalArgumentException if it is not supervised here
   */
  public final void remove(Service service) {
    Objects.requireNonNull(service, "service");
    sync();
    Slot slot = slots.slotOf(service);
    if (slot == null) {
      throw new IllegalArgumentException(
          "Cannot remove " + service.path() + ": it is not supervised by " + path());
    }
    slots.forget(slot);
    if (service.parent().orElse(null) == this) removeDependency(service);
  }

  /** The supervised services in supervised order: an immutable snapshot. */
  public final List<Service> supervised() {
    sync();
    return slots.services();
  }

  /**
   * How many times this supervisor has restarted {@code service} (counting restarts whose start
   * failed, and, after a replacement, the restarts of the services it replaced).
   *
   * @throws IllegalArgumentException if it is not supervised here
   */
  public final int restartsOf(Service service) {
    return slotOrThrow(service).restarts;
  }

  /**
   * The last crash reason of {@code service} that this supervisor saw; empty if it never crashed.
   * Unlike {@link Service#crashReason()}, it stays after the restart.
   *
   * @throws IllegalArgumentException if it is not supervised here
   */
  public final Optional<Throwable> lastCrashOf(Service service) {
    return Optional.ofNullable(slotOrThrow(service).lastCrash);
  }

  /** The total number of restarts this supervisor decided (a group restart counts once). */
  public final int totalRestarts() {
    return totalRestarts;
  }

  /** The restart limit: at most this many restarts within {@link #over()}. */
  public final int maxRestarts() {
    return maxRestarts;
  }

  /** The sliding window of the restart limit. */
  public final Duration over() {
    return over;
  }

  /** Sets the back-off between restarts; null (the default) restarts at once. Any time. */
  public final void setBackoff(Backoff backoff) {
    this.backoff = backoff;
  }

  /** The back-off between restarts, if any. */
  public final Optional<Backoff> backoff() {
    return Optional.ofNullable(backoff);
  }

  /** Sets the replacement factory (see {@link Replacement}); null (the default) restarts the service. */
  public final void setReplacement(Replacement factory) {
    this.replacement = factory;
  }

  // ------------------------------------------------------------------------------------------
  // Crash events

  @Override
  protected final void onDependencyCrashed(Service dependency, Throwable reason) {
    Slot slot = slots.slotOf(dependency);
    if (slot == null) {
      sync();
      slot = slots.slotOf(dependency);
    }
    if (slot != null) slot.lastCrash = reason;
    if (policy == Policy.ESCALATE) {
      super.onDependencyCrashed(dependency, reason);
      return;
    }
    // runs on the crashing thread (often the crashed service's own task, which a restart joins):
    // queue the work, never do it here
    settling.begin(clock());
    events.addLast(new Event(dependency, reason, dependency.restartCount(), false));
    if (shouldStop()) settling.endAll(); // nobody will handle it now
    Thread t = supervisorThread;
    if (t != null) LockSupport.unpark(t);
  }

  @Task
  private void supervise() {
    Thread me = Thread.currentThread();
    intensity.clear();
    pending.clear();
    sync();
    supervisorThread = me;
    try {
      while (!shouldStop()) {
        Event e = events.pollFirst();
        if (e != null) {
          try {
            if (e.service() == null) runDuePending(); // the clock's wake-up for a back-off restart
            else handleLogged(e);
          } finally {
            settling.endOne();
          }
          continue;
        }
        Pending next = nextPending();
        if (next == null || clock().nanoTime() - next.due < 0) {
          LockSupport.park(this); // a crash or the clock's wake-up for the next pending restart unparks us
        } else {
          pending.remove(next);
          runPendingLogged(next);
          continue;
        }
        Thread.interrupted(); // stop interrupts us; the loop condition says whether to end
      }
    } finally {
      if (supervisorThread == me) supervisorThread = null;
      pending.clear();
      settling.endAll();
      stopThoseLeftInInit();
    }
  }

  // A restart that raced with this supervisor's stop may leave a service reset to INIT after the
  // stop passed it (its start is refused while we stop): finish its stop so it ends SHUTDOWN.
  private void stopThoseLeftInInit() {
    if (!shouldStop()) return;
    for (Slot s : slots.snapshot()) {
      if (s.service.state() == State.INIT) s.service.stop();
    }
  }

  private void handleLogged(Event e) {
    try {
      handle(e);
    } catch (RuntimeException | Error t) {
      if (shouldStop()) return;
      log.error("Handling the crash of {} failed", e.service.path(), t);
    }
  }

  private void handle(Event e) {
    Service crashed = e.service;
    if (crashed.restartCount() != e.run || !e.failedRestart && crashed.state() != State.CRASHED) {
      log.debug("{} was already restarted; its crash ({}) needs nothing more", crashed.path(), e.reason);
      return;
    }
    sync();
    List<Slot> all = slots.snapshot();
    int index = Slots.indexIn(all, crashed);
    if (index < 0) return; // no longer supervised
    Slot slot = all.get(index);
    slot.lastCrash = e.reason;
    List<Slot> group =
        switch (scope) {
          case ONE -> List.of(slot);
          case ALL -> all;
          case REST -> List.copyOf(all.subList(index, all.size()));
        };
    if (policy == Policy.FORFEIT) {
      for (Slot s : group) {
        if (s == slot) log.warn("Giving up on {}: it crashed (reason={}); stopping it", crashed.path(), e.reason.toString());
        else log.warn("Giving up on {}: stopping it because {} crashed", s.service.path(), crashed.path());
      }
      restarter.stopInReverse(group);
      return;
    }
    if (shouldStop()) return;
    long now = clock().nanoTime();
    if (!intensity.tryRestart(now)) {
      giveUp(crashed, e.reason, all);
      return;
    }
    totalRestarts++;
    Backoff b = backoff;
    long delay = b == null ? 0 : slot.backoff.nextDelay(b, b.resetAfterNanos(), now);
    if (delay > 0) {
      restarter.stopInReverse(group);
      log.info(
          "{} crashed (reason={}); restarting it in {} (back-off)",
          crashed.path(), e.reason.toString(), Durations.format(Duration.ofNanos(delay)));
      for (Pending p : pending) p.slots.removeAll(group); // the later restart covers them
      pending.removeIf(p -> p.slots.isEmpty());
      pending.add(new Pending(now + delay, new ArrayList<>(group), slot, e.reason));
      clock().schedule(now + delay, this::wakeUp); // before this event counts as handled
      return;
    }
    if (group.size() > 1) restarter.stopInReverse(group);
    restartGroup(group, slot, e.reason);
  }

  // on the clock's thread when a back-off delay ends: queue a wake-up that counts as clock work
  private void wakeUp() {
    if (shouldStop()) return; // the stop dropped the pending restarts
    settling.begin(clock());
    events.addLast(new Event(null, null, 0, false));
    if (shouldStop()) settling.endAll();
    Thread t = supervisorThread;
    if (t != null) LockSupport.unpark(t);
  }

  private void runDuePending() {
    for (Pending p = nextPending(); p != null && clock().nanoTime() - p.due >= 0; p = nextPending()) {
      pending.remove(p);
      runPendingLogged(p);
    }
  }

  private void runPendingLogged(Pending p) {
    if (shouldStop()) return;
    try {
      List<Slot> live = slots.snapshot();
      p.slots.retainAll(live);
      restartGroup(p.slots, p.crashed, p.reason);
    } catch (RuntimeException | Error t) {
      if (shouldStop()) return;
      log.error("Delayed restart failed", t);
    }
  }

  // restarts the group in supervised order; a failed start becomes a new crash, handled next
  private void restartGroup(List<Slot> group, Slot crashed, Throwable reason) {
    Restarter.Failure failed = restarter.restartGroup(group, crashed, reason, replacement);
    if (failed != null) {
      settling.begin(clock());
      events.addFirst(new Event(failed.service(), failed.reason(), failed.service().restartCount(), true));
    }
  }

  private void giveUp(Service crashed, Throwable reason, List<Slot> all) {
    MaxRestartsExceeded ex = new MaxRestartsExceeded(crashed.path(), maxRestarts, over, reason);
    log.error("Max restarts exceeded: {}; stopping all supervised services", ex.getMessage());
    pending.clear();
    restarter.stopInReverse(all);
    crash(ex);
  }

  private Pending nextPending() {
    Pending best = null;
    for (Pending p : pending) if (best == null || p.due - best.due < 0) best = p;
    return best;
  }

  // ------------------------------------------------------------------------------------------
  // Slots

  // drops slots whose service is no longer a dependency, adopts dependencies added directly
  private void sync() {
    slots.sync(dependencies());
  }

  private Slot slotOrThrow(Service service) {
    Objects.requireNonNull(service, "service");
    Slot s = slots.slotOf(service);
    if (s == null) {
      sync();
      s = slots.slotOf(service);
    }
    if (s == null) {
      throw new IllegalArgumentException(service.path() + " is not supervised by " + path());
    }
    return s;
  }

  /**
   * A crash to handle: of {@code service} in its run number {@code run} (its restart count then);
   * {@code failedRestart}: our own restart (or replacement) of it failed.
   */
  private record Event(Service service, Throwable reason, int run, boolean failedRestart) {}

  /** A restart waiting for its back-off delay. */
  private static final class Pending {
    final long due;
    final List<Slot> slots;
    final Slot crashed;
    final Throwable reason;

    Pending(long due, List<Slot> slots, Slot crashed, Throwable reason) {
      this.due = due;
      this.slots = slots;
      this.crashed = crashed;
      this.reason = reason;
    }
  }
}
