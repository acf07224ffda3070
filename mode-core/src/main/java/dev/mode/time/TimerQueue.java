package dev.mode.time;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * An indexed binary min-heap of scheduled actions: O(log n) add, cancel and poll, so a hundred
 * thousand timers cost one heap slot each and no thread. Not thread-safe: the owning clock guards it.
 */
final class TimerQueue {
  private Entry[] heap = new Entry[64];
  private int size;
  private long seq;

  /**
   * One scheduled action; {@code index} is its heap slot, -1 outside the heap. {@code state} says
   * whether it is still to run: it moves PENDING -> DONE once, by whoever runs or cancels it first.
   */
  static final class Entry implements ModeClock.Scheduled {
    private static final VarHandle STATE;

    static {
      try {
        STATE = MethodHandles.lookup().findVarHandle(Entry.class, "state", int.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private static final int PENDING = 0;
    private static final int DONE = 1;

    final long deadline;
    final Runnable action;
    long order; // set by the queue at insertion: FIFO among equal deadlines
    int index = -1;
    private final Cancel owner;
    private volatile int state;

    Entry(long deadline, Runnable action, Cancel owner) {
      this.deadline = deadline;
      this.action = action;
      this.owner = owner;
    }

    /** Claims the entry to run or cancel it; true for the one caller that wins. */
    boolean claim() {
      return STATE.compareAndSet(this, PENDING, DONE);
    }

    /** True once it ran or was cancelled (for owners that use {@link #claim}). */
    boolean isDone() {
      return state != PENDING;
    }

    @Override
    public boolean cancel() {
      return owner.cancel(this);
    }
  }

  /** What an entry calls back to cancel itself under the owner's lock. */
  interface Cancel {
    boolean cancel(Entry e);
  }

  Entry add(long deadline, Runnable action, Cancel owner) {
    return insert(new Entry(deadline, action, owner));
  }

  /** Adds an entry made elsewhere; it is ordered after every entry already added. */
  Entry insert(Entry e) {
    e.order = seq++;
    if (size == heap.length) heap = Arrays.copyOf(heap, size * 2);
    heap[size] = e;
    e.index = size;
    siftUp(size++);
    return e;
  }

  Entry peek() {
    return size == 0 ? null : heap[0];
  }

  Entry poll() {
    if (size == 0) return null;
    Entry first = heap[0];
    removeAt(0);
    return first;
  }

  /** Removes e if it is still queued; true if it was. */
  boolean remove(Entry e) {
    int i = e.index;
    if (i < 0 || i >= size || heap[i] != e) return false;
    removeAt(i);
    return true;
  }

  int size() {
    return size;
  }

  private void removeAt(int i) {
    Entry removed = heap[i];
    removed.index = -1;
    int last = --size;
    if (i != last) {
      Entry moved = heap[last];
      heap[last] = null;
      heap[i] = moved;
      moved.index = i;
      siftDown(i);
      if (heap[i] == moved) siftUp(i);
    } else {
      heap[last] = null;
    }
    if (heap.length > 64 && size < heap.length / 4) heap = Arrays.copyOf(heap, heap.length / 2);
  }

  private static boolean less(Entry a, Entry b) {
    return a.deadline != b.deadline ? a.deadline - b.deadline < 0 : a.order < b.order;
  }

  private void siftUp(int i) {
    Entry e = heap[i];
    while (i > 0) {
      int p = (i - 1) >>> 1;
      Entry parent = heap[p];
      if (!less(e, parent)) break;
      heap[i] = parent;
      parent.index = i;
      i = p;
    }
    heap[i] = e;
    e.index = i;
  }

  private void siftDown(int i) {
    Entry e = heap[i];
    int half = size >>> 1;
    while (i < half) {
      int c = 2 * i + 1;
      int r = c + 1;
      if (r < size && less(heap[r], heap[c])) c = r;
      if (!less(heap[c], e)) break;
      heap[i] = heap[c];
      heap[i].index = i;
      i = c;
    }
    heap[i] = e;
    e.index = i;
  }
}
