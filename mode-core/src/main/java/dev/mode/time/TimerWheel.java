package dev.mode.time;

/**
 * The system clock's store of scheduled actions: a hashed timing wheel in front of two {@link
 * TimerQueue} heaps. Not thread-safe: only the clock thread touches it.
 *
 * <p>Time is cut into ticks of {@value #TICK_NANOS} ns (about 1 ms). An entry due in the current
 * tick or earlier sits in the small <em>near</em> heap, which orders it exactly (deadline, then
 * insertion); an entry due within the next {@value #SLOTS} ticks (about 4.3 s) sits in the wheel's
 * slot for its tick, a list linked through the entries; a later one sits in the <em>far</em> heap
 * until its tick comes within reach. When the clock moves into a tick, that tick's slot is moved into
 * the near heap. So precision is that of the heap, while an entry costs O(1) to add and the heap
 * that orders it holds one tick's worth of entries instead of all of them: with a million timers of
 * 1 s, a 4-ary heap of a million entries cost the clock thread a cache miss per level on every add
 * and poll (docs/performance.md, "a million timers").
 *
 * <p>Order among equal deadlines is the order of insertion, as in {@link TimerQueue}: far entries
 * move into a slot the moment its tick comes within reach, before any later insert can reach that
 * slot, and a slot moves into the near heap the moment its tick begins, before any later insert can
 * go there directly; a slot's list is reversed on the way, so it keeps its order.
 *
 * <p>Cancelled entries ({@link #remove}) leave the heaps as {@link TimerQueue#remove} does and are
 * dropped from a slot when its tick comes. Ticks count from the wheel's creation, and compare by
 * difference, as deadlines do.
 */
final class TimerWheel {
  static final int SHIFT = 20;
  static final long TICK_NANOS = 1L << SHIFT;
  static final int SLOTS = 4096;
  private static final int MASK = SLOTS - 1;
  // a slot this short is scanned for its earliest deadline, so that the clock wakes once per fire
  // when timers are few, instead of at the tick's start and again at the deadline
  private static final int SCAN_LIMIT = 64;

  private static final byte NONE = 0;
  private static final byte NEAR = 1;
  private static final byte SLOT = 2;
  private static final byte FAR = 3;

  private final long origin;
  private long tick; // the current tick: slots up to it have moved to near
  private final TimerQueue near = new TimerQueue();
  private final TimerQueue far = new TimerQueue();
  private final TimerQueue.Entry[] slots = new TimerQueue.Entry[SLOTS];
  private final int[] slotSizes = new int[SLOTS];
  private final long[] occupied = new long[SLOTS / 64];
  private int inSlots; // entries in slots, cancelled ones included

  TimerWheel(long now) {
    this.origin = now;
  }

  private long tickOf(long deadline) {
    return (deadline - origin) >> SHIFT;
  }

  void insert(TimerQueue.Entry e) {
    long t = tickOf(e.deadline);
    long ahead = t - tick;
    if (ahead <= 0) {
      e.home = NEAR;
      near.insert(e);
    } else if (ahead < SLOTS) {
      push(e, (int) (t & MASK));
    } else {
      e.home = FAR;
      far.insert(e);
    }
  }

  /** Takes a cancelled entry out (lazily from a slot); false if it is not here. */
  boolean remove(TimerQueue.Entry e) {
    switch (e.home) {
      case NEAR:
        return near.remove(e);
      case FAR:
        return far.remove(e);
      case SLOT:
        e.action = null; // dropped when its tick comes; holds nothing until then
        return true;
      default:
        return false;
    }
  }

  /** Moves the wheel to the tick of {@code now}: every entry due by then is in the near heap. */
  void advance(long now) {
    long target = tickOf(now);
    while (target - tick > 0) {
      long next = nextOccupiedTick();
      // no slot to empty before target: jump there (one step, however long the clock slept)
      tick = next == Long.MIN_VALUE || next - target > 0 ? target : next;
      fromFar();
      int i = (int) (tick & MASK);
      if (slots[i] != null) toNear(i);
    }
  }

  /** The earliest entry due, once {@link #advance} has run; null if none is in the near heap. */
  TimerQueue.Entry peek() {
    return near.peek();
  }

  TimerQueue.Entry poll() {
    TimerQueue.Entry e = near.poll();
    if (e != null) e.home = NONE;
    return e;
  }

  /**
   * When the clock must look again: the first near deadline, else the earliest deadline of the next
   * slot (or its tick's start, when the slot is long), else the first far deadline; {@code
   * Long.MAX_VALUE} flags none (check {@link #isEmpty}).
   */
  long nextWake() {
    TimerQueue.Entry n = near.peek();
    if (n != null) return n.deadline;
    long t = nextOccupiedTick();
    if (t != Long.MIN_VALUE) {
      int i = (int) (t & MASK);
      if (slotSizes[i] <= SCAN_LIMIT) {
        long min = 0;
        boolean any = false;
        for (TimerQueue.Entry e = slots[i]; e != null; e = e.nextAdded) {
          if (e.isDone()) continue;
          if (!any || e.deadline - min < 0) min = e.deadline;
          any = true;
        }
        if (any) return min;
      }
      return origin + (t << SHIFT);
    }
    TimerQueue.Entry f = far.peek();
    return f == null ? Long.MAX_VALUE : f.deadline;
  }

  boolean isEmpty() {
    return inSlots == 0 && near.size() == 0 && far.size() == 0;
  }

  private void push(TimerQueue.Entry e, int i) {
    e.home = SLOT;
    e.nextAdded = slots[i];
    slots[i] = e;
    slotSizes[i]++;
    occupied[i >>> 6] |= 1L << i;
    inSlots++;
  }

  // far entries whose tick came within reach go to their slot (or near, if it has begun)
  private void fromFar() {
    TimerQueue.Entry f;
    while ((f = far.peek()) != null && tickOf(f.deadline) - tick < SLOTS) {
      far.poll();
      long ahead = tickOf(f.deadline) - tick;
      if (ahead <= 0) {
        f.home = NEAR;
        near.insert(f);
      } else {
        push(f, (int) (tickOf(f.deadline) & MASK));
      }
    }
  }

  // the slot's list is newest first: reverse it, so that near keeps the order of insertion
  private void toNear(int i) {
    TimerQueue.Entry oldest = TimerQueue.oldestFirst(slots[i]);
    slots[i] = null;
    inSlots -= slotSizes[i];
    slotSizes[i] = 0;
    occupied[i >>> 6] &= ~(1L << i);
    while (oldest != null) {
      TimerQueue.Entry next = oldest.nextAdded;
      oldest.nextAdded = null;
      if (oldest.isDone()) {
        oldest.home = NONE; // cancelled while in the slot
      } else {
        oldest.home = NEAR;
        near.insert(oldest);
      }
      oldest = next;
    }
  }

  // the tick of the first occupied slot after the current tick, or Long.MIN_VALUE if none
  private long nextOccupiedTick() {
    if (inSlots == 0) return Long.MIN_VALUE;
    int start = (int) ((tick + 1) & MASK);
    int first = start >>> 6;
    int words = occupied.length;
    for (int k = 0; k <= words; k++) {
      int word = (first + k) & (words - 1);
      long w = occupied[word];
      if (k == 0) w &= -1L << (start & 63); // from start on
      else if (k == words) w &= (1L << (start & 63)) - 1; // round again: the bits before start
      if (w != 0) {
        int found = (word << 6) + Long.numberOfTrailingZeros(w);
        return tick + 1 + ((found - start) & MASK);
      }
    }
    return Long.MIN_VALUE;
  }
}
