package dev.mode.supervisor;

import dev.mode.Durations;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/**
 * Exponential back-off between restarts, as Akka's {@code BackoffSupervisor} does it: the k-th
 * consecutive restart of a supervised service waits {@code min(max, min * 2^k)} (k from 0), times
 * {@code 1 + jitter * r} for a random {@code r} in [0, 1), and never more than {@code max}. Once the
 * service has run for {@code resetAfter} since its last restart, the next crash counts as the first
 * again.
 *
 * <pre>{@code
 * supervisor.setBackoff(Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(10))
 *     .resetAfter(Duration.ofMinutes(1))
 *     .withJitter(0.2, new Random(42)));
 * }</pre>
 *
 * <p>Immutable; the {@link Random} it holds is used only by the supervisor's own thread.
 */
public final class Backoff {
  private final Duration min;
  private final Duration max;
  private final Duration resetAfter;
  private final double jitter;
  private final Random random;

  private Backoff(Duration min, Duration max, Duration resetAfter, double jitter, Random random) {
    this.min = min;
    this.max = max;
    this.resetAfter = resetAfter;
    this.jitter = jitter;
    this.random = random;
  }

  /**
   * Exponential back-off from {@code min} to {@code max}, no jitter, reset after {@code max} of stable
   * running (change it with {@link #resetAfter}).
   *
   * @throws IllegalArgumentException if {@code min} is not positive or {@code max < min}
   */
  public static Backoff exponential(Duration min, Duration max) {
    Objects.requireNonNull(min, "min");
    Objects.requireNonNull(max, "max");
    if (min.isNegative() || min.isZero()) {
      throw new IllegalArgumentException(
          "Back-off min must be positive, got " + Durations.format(min) + " (for example 100ms)");
    }
    if (max.compareTo(min) < 0) {
      throw new IllegalArgumentException(
          "Back-off max (" + Durations.format(max) + ") must not be less than min (" + Durations.format(min) + ")");
    }
    return new Backoff(min, max, max, 0.0, null);
  }

  /**
   * The same back-off, reset once a service has run for {@code stable} since its last restart.
   *
   * @throws IllegalArgumentException if {@code stable} is not positive
   */
  public Backoff resetAfter(Duration stable) {
    Objects.requireNonNull(stable, "stable");
    if (stable.isNegative() || stable.isZero()) {
      throw new IllegalArgumentException(
          "Back-off resetAfter must be positive, got " + Durations.format(stable));
    }
    return new Backoff(min, max, stable, jitter, random);
  }

  /**
   * The same back-off with each delay stretched by up to {@code factor} (0.2 = up to 20% longer),
   * drawn from {@code random} (seed it for reproducible delays), still capped at {@code max}.
   *
   * @throws IllegalArgumentException if {@code factor} is negative or not finite
   */
  public Backoff withJitter(double factor, Random random) {
    Objects.requireNonNull(random, "random");
    if (!(factor >= 0) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException("Back-off jitter must be a finite number >= 0, got " + factor);
    }
    return new Backoff(min, max, resetAfter, factor, random);
  }

  /** The first delay. */
  public Duration min() {
    return min;
  }

  /** The longest delay. */
  public Duration max() {
    return max;
  }

  /** How long a service must run after a restart for the back-off to start over. */
  public Duration resetAfter() {
    return resetAfter;
  }

  /** The jitter factor (0 = none). */
  public double jitter() {
    return jitter;
  }

  /** How long a stable run resets the back-off, in nanoseconds (saturated). */
  long resetAfterNanos() {
    return Durations.toNanosSaturated(resetAfter);
  }

  /**
   * The delay before the restart that follows {@code consecutive} earlier consecutive restarts (see
   * {@link RestartIntensity#delayNanos}); draws the jitter from this back-off's {@link Random}.
   */
  long delayNanos(int consecutive) {
    double draw = jitter > 0 && random != null ? random.nextDouble() : 0.0;
    return RestartIntensity.delayNanos(
        consecutive, Durations.toNanosSaturated(min), Durations.toNanosSaturated(max), random == null ? 0.0 : jitter, draw);
  }

  @Override
  public String toString() {
    return "Backoff[min=" + Durations.format(min) + ", max=" + Durations.format(max) + ", resetAfter="
        + Durations.format(resetAfter) + ", jitter=" + jitter + "]";
  }
}
