package dev.mode.time;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * A 4-ary min-heap of scheduled actions, ordered by deadline and then by insertion: O(log n) add and
 * poll, O(1) cancel, so a hundred thousand timers cost one slot each and no thread. Not thread-safe:
 * the owning clock's thread or lock guards it.
 *
 * <p>Built for the clock thread's hot loop, where a hundred thousand timers fall due within a
 * fraction of a second: deadlines and insertion numbers sit in {@code long} arrays beside the
 * entries, so sifting compares within arrays (the four children of a slot share a cache line)
 * instead of reading an entry per step, and the heap is half as deep as a binary one. Removal is
 * lazy: a removed entry is marked and dropped when it reaches the top, or in one pass when dead
 * entries outnumber live ones, so no entry needs to know its slot.
 */
final class TimerQueue {
  private long[] deadlines = new long[64];
  private long[] orders = new long[64]; // insertion number: FIFO among equal deadlines
  private Entry[] entries = new Entry[64];
  private int size; // slots in use, dead entries included
  private int dead; // removed entries still in the heap
  private long seq;
  private long sinceGrown; // polls since the arrays last grew or shrank

  /**
   * One scheduled action. {@code state} says whether it is still to run: it moves PENDING -> DONE
   * once, by whoever runs or cancels it first (for owners that use {@link #claim}).
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

    long deadline; // fixed while queued; set again only by a re-arm of an entry that ran
    Runnable action; // dropped when removed, so a dead entry left in the heap holds nothing
    // owner's thread or lock only: in a heap (until polled or purged), and removed while in it
    boolean queued;
    boolean removed;
    Entry nextAdded; // the owner's inbox link, then its wheel slot's (SystemClock): no node per add
    byte home; // where a TimerWheel keeps it (clock thread only)
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

    /**
     * Makes an entry that ran pending again, for {@code deadline}: the owner's re-arm without a new
     * entry. Only for an entry whose action ran (claimed by its run, so out of the heap for good).
     */
    void rearm(long deadline, Runnable action) {
      this.deadline = deadline;
      this.action = action;
      STATE.setRelease(this, PENDING); // published to the owner's thread with the entry's hand-over
    }

    /** True once it ran or was cancelled (for owners that use {@link #claim}). */
    boolean isDone() {
      return state != PENDING;
    }

    @Override
    public boolean cancel() {
      return owner.cancel(this);
    }

    boolean ownedBy(Cancel c) {
      return owner == c;
    }
  }

  /**
   * Reverses a chain of entries linked by {@code nextAdded} (newest first, as a stack pushes them)
   * and returns its oldest: the owners take such chains whole and must keep the order of adding.
   */
  static Entry oldestFirst(Entry newest) {
    Entry oldest = null;
    while (newest != null) {
      Entry next = newest.nextAdded;
      newest.nextAdded = oldest;
      oldest = newest;
      newest = next;
    }
    return oldest;
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
    if (size == entries.length) {
      grow(size * 2);
      sinceGrown = 0;
    }
    e.queued = true;
    siftUp(size++, e.deadline, seq++, e);
    return e;
  }

  /** The live entry with the earliest deadline, or null. */
  Entry peek() {
    dropDeadTop();
    return size == 0 ? null : entries[0];
  }

  Entry poll() {
    dropDeadTop();
    if (size == 0) return null;
    Entry first = entries[0];
    first.queued = false;
    removeTop();
    return first;
  }

  /** Removes e if it is still queued here; true if it was. */
  boolean remove(Entry e) {
    if (!e.queued || e.removed) return false;
    e.removed = true;
    e.action = null;
    dead++;
    if (dead > 32 && dead > size - dead) purge();
    return true;
  }

  /** Live entries. */
  int size() {
    return size - dead;
  }

  private void dropDeadTop() {
    while (size > 0 && entries[0].removed) {
      entries[0].queued = false;
      dead--;
      removeTop();
    }
  }

  private void removeTop() {
    int last = --size;
    Entry moved = entries[last];
    long d = deadlines[last];
    long o = orders[last];
    entries[last] = null;
    if (last > 0) siftDown(0, d, o, moved);
    // shrink only after a capacity's worth of polls without growing: a heap that fills and drains
    // each tick (the wheel's near heap) would otherwise copy its arrays twice per tick
    if (++sinceGrown > entries.length && entries.length > 64 && size < entries.length / 4) {
      grow(entries.length / 2);
      sinceGrown = 0;
    }
  }

  // drops every removed entry in one pass and rebuilds the heap bottom-up
  private void purge() {
    int n = 0;
    for (int i = 0; i < size; i++) {
      Entry e = entries[i];
      if (e.removed) {
        e.queued = false;
        continue;
      }
      entries[n] = e;
      deadlines[n] = deadlines[i];
      orders[n] = orders[i];
      n++;
    }
    for (int i = n; i < size; i++) entries[i] = null;
    size = n;
    dead = 0;
    for (int i = (n - 2) >>> 2; n > 1 && i >= 0; i--) siftDown(i, deadlines[i], orders[i], entries[i]);
    if (entries.length > 64 && size < entries.length / 4) grow(Math.max(64, entries.length / 2));
  }

  private void grow(int capacity) {
    deadlines = Arrays.copyOf(deadlines, capacity);
    orders = Arrays.copyOf(orders, capacity);
    entries = Arrays.copyOf(entries, capacity);
  }

  // true if (d1, o1) comes before (d2, o2); deadlines compare by difference (System.nanoTime wraps)
  private static boolean before(long d1, long o1, long d2, long o2) {
    return d1 != d2 ? d1 - d2 < 0 : o1 < o2;
  }

  private void siftUp(int i, long d, long o, Entry e) {
    while (i > 0) {
      int p = (i - 1) >>> 2;
      if (!before(d, o, deadlines[p], orders[p])) break;
      deadlines[i] = deadlines[p];
      orders[i] = orders[p];
      entries[i] = entries[p];
      i = p;
    }
    deadlines[i] = d;
    orders[i] = o;
    entries[i] = e;
  }

  private void siftDown(int i, long d, long o, Entry e) {
    for (;;) {
      int c = 4 * i + 1;
      if (c >= size) break;
      int end = Math.min(c + 4, size);
      int m = c;
      long md = deadlines[c];
      long mo = orders[c];
      for (int j = c + 1; j < end; j++) {
        if (before(deadlines[j], orders[j], md, mo)) {
          m = j;
          md = deadlines[j];
          mo = orders[j];
        }
      }
      if (!before(md, mo, d, o)) break;
      deadlines[i] = md;
      orders[i] = mo;
      entries[i] = entries[m];
      i = m;
    }
    deadlines[i] = d;
    orders[i] = o;
    entries[i] = e;
  }
}
