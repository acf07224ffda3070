package dev.mode.bench;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Lateness of timer runs against their ideal schedule {@code start + k * interval}, in microseconds,
 * recorded from many threads into one fixed-size histogram (so that recording adds no memory per
 * run). Early runs count as 0 late and are counted apart.
 */
final class Lateness {
  private static final long MAX_MICROS = 600_000_000L; // ten minutes

  private final Histogram histogram = new ConcurrentHistogram(MAX_MICROS, 3);
  private final java.util.concurrent.atomic.LongAdder early = new java.util.concurrent.atomic.LongAdder();

  /** Records a run that began at {@code nowNanos} and was due at {@code idealNanos}. */
  void record(long nowNanos, long idealNanos) {
    long late = nowNanos - idealNanos;
    if (late < 0) {
      early.increment();
      late = 0;
    }
    histogram.recordValue(Math.min(MAX_MICROS, late / 1000));
  }

  long count() {
    return histogram.getTotalCount();
  }

  long early() {
    return early.sum();
  }

  /** The lateness at {@code percentile} (0-100) in milliseconds. */
  double millisAt(double percentile) {
    return histogram.getValueAtPercentile(percentile) / 1000.0;
  }

  double maxMillis() {
    return histogram.getMaxValue() / 1000.0;
  }
}
