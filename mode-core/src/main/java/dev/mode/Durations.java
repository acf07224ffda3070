package dev.mode;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the duration strings used by {@link Timer}, the Worker's options and configuration.
 *
 * <p>Accepted forms: a number with a unit ({@code "250ms"}, {@code "1.5s"}, {@code "2m"}, {@code
 * "1h"}, {@code "1d"}), a plain number of seconds ({@code "30"}, {@code "0.5"}), or ISO-8601
 * ({@code "PT1.5S"}, {@code "P1D"}). Anything else, including Python Mode's rate syntax {@code
 * "10/m"}, is rejected with an {@link IllegalArgumentException} that names the value and lists these
 * forms. Negative durations are rejected. Thread-safe (stateless).
 */
public final class Durations {
  /** The accepted forms, as error messages show them. */
  public static final String ACCEPTED_FORMS =
      "a number with a unit (250ms, 1.5s, 2m, 1h, 1d), a plain number of seconds (30), or ISO-8601 (PT1.5S)";

  private static final Pattern WITH_UNIT =
      Pattern.compile("(\\d+(?:\\.\\d+)?|\\.\\d+)\\s*(ms|s|m|h|d)?");

  private Durations() {}

  /**
   * Parses {@code text} as a duration.
   *
   * @throws IllegalArgumentException naming the value and the accepted forms
   */
  public static Duration parse(String text) {
    Objects.requireNonNull(text, "duration text");
    String s = text.strip();
    if (s.isEmpty()) throw invalid(text);
    if (s.charAt(0) == 'P' || s.charAt(0) == 'p') {
      try {
        Duration d = Duration.parse(s);
        if (d.isNegative()) throw invalid(text);
        return d;
      } catch (DateTimeParseException e) {
        throw invalid(text);
      }
    }
    Matcher m = WITH_UNIT.matcher(s);
    if (!m.matches()) throw invalid(text);
    BigDecimal amount = new BigDecimal(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    BigDecimal nanosPerUnit =
        switch (unit) {
          case "ms" -> BigDecimal.valueOf(1_000_000L);
          case "s" -> BigDecimal.valueOf(1_000_000_000L);
          case "m" -> BigDecimal.valueOf(60_000_000_000L);
          case "h" -> BigDecimal.valueOf(3_600_000_000_000L);
          case "d" -> BigDecimal.valueOf(86_400_000_000_000L);
          default -> throw invalid(text);
        };
    try {
      return Duration.ofNanos(amount.multiply(nanosPerUnit).longValueExact());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "Invalid duration \"" + text + "\": too large or too precise; use " + ACCEPTED_FORMS);
    }
  }

  /**
   * {@code d} in nanoseconds, saturating at {@link Long#MAX_VALUE} (or {@link Long#MIN_VALUE}) for a
   * duration too long to fit, about 292 years, so "forever" stays usable in arithmetic on deadlines.
   */
  public static long toNanosSaturated(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  /** Formats a duration the way log lines show it: {@code 12ms}, {@code 1.5s}, {@code 2m3s}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) return d.toNanos() % 1_000_000 == 0 || ms >= 10 ? ms + "ms" : String.format("%.3fms", d.toNanos() / 1e6);
    if (ms < 60_000) return (ms % 1000 == 0) ? (ms / 1000) + "s" : String.format("%.3fs", ms / 1000.0);
    long s = d.toSeconds();
    return (s / 60) + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
  }

  // "%.2f" under 10 ms, written out by hand: java.util.Formatter costs microseconds per call until the
  // JIT has compiled it, and a Worker stopping 10,000 services at info level calls this 10,000 times
  // in a row on one thread, in code that has not run before (about 80 ms of a 10,000-service stop).
  // Always a '.' as the separator, whatever the default locale.
  static String formatMillis(long nanos) {
    double ms = nanos / 1e6;
    if (ms >= 10) return Long.toString(Math.round(ms));
    long hundredths = Math.round(nanos / 1e4);
    long frac = hundredths % 100;
    return hundredths / 100 + (frac < 10 ? ".0" : ".") + frac;
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException("Invalid duration \"" + text + "\": use " + ACCEPTED_FORMS);
  }
}
