package dev.mode;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Delivery of {@link Service.Listener} events, and the only writer of a service's listener list.
 *
 * <p>State changes and crashes are queued under the engine's lock, in the order they happen, and
 * delivered after it is released by one thread at a time per service (Guava's {@code
 * ListenerCallQueue}): so each event is heard once, in order, never under a lock of the service, and
 * when all is quiet the last state a listener heard is {@code state()} (SPEC §10). Nothing is queued
 * or allocated when no listener here or above would hear it.
 */
final class Events {
  private static final Service.Listener[] NO_LISTENERS = {};

  private Events() {}

  /** One queued event: a state change, or a crash when {@code reason} is set. */
  record Event(State from, State to, Throwable reason) {}

  static Service.Listener[] none() {
    return NO_LISTENERS;
  }

  static void stateChangedLocked(Lifecycle life, State from, State to) {
    if (heard(life.service)) queueLocked(life, new Event(from, to, null));
  }

  static void crashedLocked(Lifecycle life, Throwable reason) {
    if (heard(life.service)) queueLocked(life, new Event(null, State.CRASHED, reason));
  }

  private static void queueLocked(Lifecycle life, Event e) {
    assert life.isHeldByCurrentThread();
    if (life.pendingEvents == null) life.pendingEvents = new ArrayDeque<>(4);
    life.pendingEvents.add(e);
  }

  /**
   * Delivers the service's queued events unless another thread is doing so (it will deliver these
   * too). Callers release the lock first: listeners never run under it.
   */
  static void deliver(Lifecycle life) {
    assert !life.isHeldByCurrentThread() : "listeners must not run under the service's lock";
    if (life.pendingEvents == null) return; // racy peek: whoever queued an event delivers it itself
    Service s = life.service;
    Event e = null;
    for (;;) {
      life.lock();
      try {
        if (e != null) life.delivering = false; // the previous event is delivered
        else if (life.delivering) return; // that thread delivers this caller's events too
        ArrayDeque<Event> q = life.pendingEvents;
        e = q == null ? null : q.poll();
        if (e == null) {
          life.pendingEvents = null;
          return;
        }
        life.delivering = true;
      } finally {
        life.unlock();
      }
      Event ev = e;
      if (ev.reason() != null) tell(s, l -> l.crashed(s, ev.reason()));
      else tell(s, l -> l.stateChanged(s, ev.from(), ev.to()));
    }
  }

  /** A timer or cron run ended: tells the listeners here and above; free when there are none. */
  static void timerRan(
      Service s, String timer, long latenessNanos, long tookNanos, boolean overlapped, Throwable error) {
    if (!heard(s)) return;
    Duration lateness = Duration.ofNanos(latenessNanos);
    Duration took = Duration.ofNanos(tookNanos);
    tell(s, l -> l.timerRan(s, timer, lateness, took, overlapped, error));
  }

  /** A stop of {@code s} ended (every step ran): the one sign of a stop for a service that stays CRASHED. */
  static void stopped(Service s, long tookNanos) {
    if (!heard(s)) return;
    Duration took = Duration.ofNanos(tookNanos);
    tell(s, l -> l.stopped(s, took));
  }

  static void dependencyAdded(Service parent, Service child) {
    if (heard(parent)) tell(parent, l -> l.dependencyAdded(parent, child));
  }

  static void dependencyRemoved(Service parent, Service child) {
    if (heard(parent)) tell(parent, l -> l.dependencyRemoved(parent, child));
  }

  // services that have at least one listener, in the whole process
  private static final AtomicInteger LISTENED = new AtomicInteger();

  static void add(Service s, Service.Listener listener) {
    Lifecycle life = s.life;
    life.lock();
    try {
      Service.Listener[] old = s.listeners;
      Service.Listener[] grown = Arrays.copyOf(old, old.length + 1);
      grown[old.length] = listener;
      if (old.length == 0) LISTENED.incrementAndGet(); // before the array: a reader that sees it sees this
      s.listeners = grown;
    } finally {
      life.unlock();
    }
  }

  static boolean remove(Service s, Service.Listener listener) {
    Lifecycle life = s.life;
    life.lock();
    try {
      Service.Listener[] old = s.listeners;
      for (int i = 0; i < old.length; i++) {
        if (old[i].equals(listener)) {
          Service.Listener[] kept = new Service.Listener[old.length - 1];
          System.arraycopy(old, 0, kept, 0, i);
          System.arraycopy(old, i + 1, kept, i, old.length - i - 1);
          s.listeners = kept.length == 0 ? NO_LISTENERS : kept;
          if (kept.length == 0) LISTENED.decrementAndGet();
          return true;
        }
      }
      return false;
    } finally {
      life.unlock();
    }
  }

  // true if a listener here or above would hear an event (checked first, so no event is built for nobody)
  private static boolean heard(Service s) {
    if (LISTENED.get() == 0) return false; // no listener in the process: no walk up the tree per timer run
    for (Service p = s; p != null; p = p.parent) if (p.listeners.length > 0) return true;
    return false;
  }

  // delivers an event to the listeners of s and of every service above it, nearest first
  private static void tell(Service s, Consumer<Service.Listener> event) {
    for (Service p = s; p != null; p = p.parent) {
      for (Service.Listener l : p.listeners) {
        try {
          event.accept(l);
        } catch (Throwable t) {
          s.log.error("Listener {} failed", l, t);
        }
      }
    }
  }
}
