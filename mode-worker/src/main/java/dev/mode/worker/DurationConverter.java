package dev.mode.worker;

import dev.mode.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a picocli option as a duration in Mode's forms ({@code 250ms}, {@code 1.5s}, {@code 2m},
 * {@code PT1S}, a plain number of seconds) with {@link Durations#parse}; a bad value becomes a clean
 * usage error that names it. For the Worker's options and for extensions' and programs' own:
 *
 * <pre>{@code
 * @Option(names = "--user-ttl", converter = DurationConverter.class)
 * Duration userTtl = Duration.ofMinutes(1);
 * }</pre>
 *
 * Stateless and thread-safe.
 */
public final class DurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
