package dev.mode.supervisor;

import java.util.ArrayDeque;

/**
 * The arithmetic of restart intensity and back-off, apart from threads and clocks (Pekko's {@code
 * calculateDelay}): every method takes the time {@code now} (a {@code ModeClock.nanoTime()}
 * reading) as an argument, so the rules are plain functions a test can check with numbers.
 *
 * <ul>
 *   <li><b>Intensity.</b> At most {@code maxRestarts} restarts within any sliding window of length
 *       {@code over}: a restart counts at the time it is decided, and one made exactly {@code over}
 *       ago is out of the window. {@link #tryRestart} answers whether one more fits and, if so,
 *       counts it; a refused restart is not counted.
 *   <li><b>Back-off.</b> The k-th consecutive restart of a slot (k from 0) waits {@code min(max, min *
 *       2^k)}, stretched by {@code 1 + jitter * r} for a draw {@code r} in [0, 1), never more than
 *       {@code max}; with {@code min = 3 s, max = 30 s}: 3, 6, 12, 24, 30, 30 seconds. A slot that has
 *       run for {@code resetAfter} since its last restart starts over at k = 0 ({@link
 *       SlotBackoff}).
 * </ul>
 *
 * <p>Not thread-safe: one supervisor's {@code supervise} task owns its instance (and the {@link
 * SlotBackoff} of each slot), one run at a time.
 */
final class RestartIntensity {
  private final int maxRestarts;
  private final long overNanos;
  private final ArrayDeque<Long> restartTimes = new ArrayDeque<>(); // oldest first

  RestartIntensity(int maxRestarts, long overNanos) {
    assert maxRestarts >= 0 && overNanos > 0;
    this.maxRestarts = maxRestarts;
    this.overNanos = overNanos;
  }

  /**
   * True if one more restart at {@code now} stays within the limit; then it is counted. False means
   * give up (nothing is counted).
   */
  boolean tryRestart(long now) {
    forgetOlderThanWindow(now);
    if (restartTimes.size() >= maxRestarts) return false;
    restartTimes.addLast(now);
    return true;
  }

  /** How many counted restarts are still inside the window at {@code now}. */
  int restartsInWindow(long now) {
    forgetOlderThanWindow(now);
    return restartTimes.size();
  }

  /** Forgets every counted restart: a new run of the supervisor starts with a full allowance. */
  void clear() {
    restartTimes.clear();
  }

  // differences, not comparisons, so that a nanoTime that wraps around still orders correctly
  private void forgetOlderThanWindow(long now) {
    while (!restartTimes.isEmpty() && now - restartTimes.peekFirst() >= overNanos) {
      restartTimes.pollFirst();
    }
  }

  /**
   * The delay before the restart that follows {@code consecutive} earlier consecutive restarts:
   * {@code min * 2^consecutive} capped at {@code max}, times {@code 1 + jitter * draw}, capped at
   * {@code max} again. Never overflows, however long the streak.
   *
   * @param draw a number in [0, 1) (ignored when {@code jitter} is 0)
   */
  static long delayNanos(int consecutive, long minNanos, long maxNanos, double jitter, double draw) {
    assert minNanos > 0 && maxNanos >= minNanos && jitter >= 0;
    long d = minNanos;
    for (int i = 0; i < consecutive && d < maxNanos; i++) d = d > maxNanos / 2 ? maxNanos : d * 2;
    d = Math.min(d, maxNanos);
    if (jitter > 0) {
      double stretched = d * (1.0 + jitter * draw);
      d = stretched >= maxNanos ? maxNanos : (long) stretched;
    }
    return d;
  }

  /**
   * The back-off state of one supervised slot: how many restarts in a row, and when the last one
   * happened (for the reset after a stable period).
   */
  static final class SlotBackoff {
    private int consecutive;
    private boolean restartedOnce;
    private long lastRestartAt;

    /**
     * The delay before restarting the slot after a crash handled at {@code now}, and counts the
     * restart as one more in a row (after starting over if the slot ran for {@code resetAfter} since
     * its last restart).
     */
    long nextDelay(Backoff backoff, long resetAfterNanos, long now) {
      if (restartedOnce && now - lastRestartAt >= resetAfterNanos) consecutive = 0;
      long delay = backoff.delayNanos(consecutive);
      if (consecutive < Integer.MAX_VALUE) consecutive++;
      return delay;
    }

    /** Records that the slot was restarted (its new start began) at {@code now}. */
    void restarted(long now) {
      restartedOnce = true;
      lastRestartAt = now;
    }

    /** Restarts in a row so far (0 after a reset). */
    int consecutive() {
      return consecutive;
    }
  }
}
