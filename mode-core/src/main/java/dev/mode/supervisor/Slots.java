package dev.mode.supervisor;

import dev.mode.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The supervised order of one supervisor: one {@link Slot} per supervised service, in the order of
 * {@code add}, then dependencies adopted by {@link #sync}. The only writer of that list and of each
 * slot's {@code service}.
 *
 * <p>Thread-safe: every method takes the lock briefly and calls no user code under it; queries
 * return immutable snapshots.
 */
final class Slots {
  private final ReentrantLock lock = new ReentrantLock();
  private final List<Slot> slots = new ArrayList<>(); // guarded by lock; the supervised order

  /** A new slot for {@code s} at the end of the order, or null if {@code s} is already supervised. */
  Slot addIfAbsent(Service s) {
    lock.lock();
    try {
      if (indexIn(slots, s) >= 0) return null;
      Slot slot = new Slot(s);
      slots.add(slot);
      return slot;
    } finally {
      lock.unlock();
    }
  }

  /** Drops {@code slot} from the order. */
  void forget(Slot slot) {
    lock.lock();
    try {
      slots.remove(slot);
    } finally {
      lock.unlock();
    }
  }

  /** The slot of {@code s}, or null if it is not supervised. */
  Slot slotOf(Service s) {
    lock.lock();
    try {
      int i = indexIn(slots, s);
      return i < 0 ? null : slots.get(i);
    } finally {
      lock.unlock();
    }
  }

  /** The slots in supervised order: an immutable snapshot. */
  List<Slot> snapshot() {
    lock.lock();
    try {
      return List.copyOf(slots);
    } finally {
      lock.unlock();
    }
  }

  /** The supervised services in supervised order: an immutable snapshot. */
  List<Service> services() {
    lock.lock();
    try {
      List<Service> out = new ArrayList<>(slots.size());
      for (Slot s : slots) out.add(s.service);
      return List.copyOf(out);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Brings the order in line with the supervisor's {@code dependencies}: drops the slots whose
   * service is no longer one of them, and adopts dependencies added directly (with {@code
   * addDependency} or {@code onInitDependencies}) at the end.
   */
  void sync(List<Service> dependencies) {
    lock.lock();
    try {
      slots.removeIf(s -> s.attached && !containsIdentity(dependencies, s.service));
      for (Service d : dependencies) {
        if (indexIn(slots, d) < 0) {
          Slot s = new Slot(d);
          s.attached = true;
          slots.add(s);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Puts {@code fresh} in the place of the slot's service (a replacement). */
  void replace(Slot slot, Service fresh) {
    lock.lock();
    try {
      slot.service = fresh;
    } finally {
      lock.unlock();
    }
  }

  /** The index of {@code s} (by identity) in {@code list}, or -1. */
  static int indexIn(List<Slot> list, Service s) {
    for (int i = 0; i < list.size(); i++) if (list.get(i).service == s) return i;
    return -1;
  }

  private static boolean containsIdentity(List<Service> list, Service s) {
    for (Service x : list) if (x == s) return true;
    return false;
  }

  /** One place in the supervised order; a replacement takes over its predecessor's slot. */
  static final class Slot {
    volatile Service service; // written under the Slots lock
    volatile boolean attached; // is (or was) a dependency of the supervisor
    volatile int restarts; // written by the supervise task only
    volatile Throwable lastCrash;
    // touched only by the supervise task
    final RestartIntensity.SlotBackoff backoff = new RestartIntensity.SlotBackoff();

    Slot(Service service) {
      this.service = service;
    }
  }
}
