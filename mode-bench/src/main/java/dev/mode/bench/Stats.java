package dev.mode.bench;

import java.util.Arrays;

/** Small statistics over repeated measurements. */
final class Stats {
  private Stats() {}

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  static double best(double[] xs) {
    return Arrays.stream(xs).min().orElse(Double.NaN);
  }

  static double millis(long nanos) {
    return nanos / 1e6;
  }
}
