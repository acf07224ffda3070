package dev.mode.supervisor;

import dev.mode.time.ModeClock;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The crash events a supervisor has queued and not yet handled, each held open as {@link
 * ModeClock.Work} of the supervisor's clock, so that a {@link dev.mode.time.ManualClock}'s {@code
 * advance} returns only after the supervisor has dealt with the crashes (and back-off wake-ups) that
 * the advance caused. With the system clock every handle is a no-op. The handles are interchangeable:
 * only their number matters, one per queued event.
 */
final class Settling {
  private final ConcurrentLinkedQueue<ModeClock.Work> open = new ConcurrentLinkedQueue<>();

  /** One more event queued; called before the event is added, so the count never lags. */
  void begin(ModeClock clock) {
    open.add(clock.beginWork());
  }

  /** One event handled. */
  void endOne() {
    ModeClock.Work w = open.poll();
    if (w != null) w.close();
  }

  /** No event will be handled any more (the supervisor stops): release every handle. */
  void endAll() {
    for (ModeClock.Work w; (w = open.poll()) != null; ) w.close();
  }
}
