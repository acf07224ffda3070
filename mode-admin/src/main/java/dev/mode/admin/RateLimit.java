package dev.mode.admin;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A token bucket: up to {@code burst} acquisitions at once, refilled at a steady rate. The arithmetic
 * takes the time as an argument, so it is tested as a plain function. Thread-safe; the lock guards
 * two fields and is never held around anything else.
 */
final class RateLimit {
  private final int burst;
  private final long nanosPerToken;
  private final ReentrantLock lock = new ReentrantLock();
  private double tokens; // guarded by lock
  private long last; // guarded by lock; System.nanoTime() of the last refill
  private boolean started; // guarded by lock

  private RateLimit(int burst, long nanosPerToken) {
    this.burst = burst;
    this.nanosPerToken = nanosPerToken;
    this.tokens = burst;
  }

  /** {@code perMinute} acquisitions a minute, at most {@code min(perMinute, 5)} of them at once. */
  static RateLimit perMinute(int perMinute) {
    if (perMinute < 1) throw new IllegalArgumentException("Invalid rate " + perMinute + " per minute: use 1 or more");
    return new RateLimit(Math.min(perMinute, 5), 60_000_000_000L / perMinute);
  }

  /** Takes one token at time {@code now} (nanoseconds); 0 if it got one, else how long until one is due. */
  long tryAcquire(long now) {
    lock.lock();
    try {
      if (!started) {
        started = true;
        last = now;
      }
      long elapsed = now - last;
      if (elapsed > 0) {
        tokens = Math.min(burst, tokens + (double) elapsed / nanosPerToken);
        last = now;
      }
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - tokens) * nanosPerToken));
    } finally {
      lock.unlock();
    }
  }

  /** The limit in words, for error messages. */
  String describe() {
    long perMinute = 60_000_000_000L / nanosPerToken;
    return perMinute + " per minute (" + burst + " at once)";
  }
}
