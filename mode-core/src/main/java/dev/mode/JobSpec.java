package dev.mode;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;

/**
 * What a task, timer or cron job is, independent of any one run: declared by an annotation (body
 * bound to the instance at start) or programmatically. Immutable.
 */
final class JobSpec {
  enum Kind {
    TASK("task"),
    TIMER("timer"),
    CRON("cron");

    final String word;

    Kind(String word) {
      this.word = word;
    }
  }

  private static final CronParser UNIX_CRON =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  final Kind kind;
  final String name;
  final Duration interval; // TIMER
  final boolean execFirst; // TIMER
  final boolean continueOnError; // TIMER, CRON
  final String cronText; // CRON
  final ExecutionTime cron; // CRON
  final ZoneId zone; // CRON
  final Method method; // annotated; null when programmatic
  final ThrowingRunnable body; // programmatic; null when annotated

  private JobSpec(
      Kind kind,
      String name,
      Duration interval,
      boolean execFirst,
      boolean continueOnError,
      String cronText,
      ExecutionTime cron,
      ZoneId zone,
      Method method,
      ThrowingRunnable body) {
    this.kind = kind;
    this.name = name;
    this.interval = interval;
    this.execFirst = execFirst;
    this.continueOnError = continueOnError;
    this.cronText = cronText;
    this.cron = cron;
    this.zone = zone;
    this.method = method;
    this.body = body;
  }

  static JobSpec task(String name, Method m) {
    return new JobSpec(Kind.TASK, name, null, false, false, null, null, null, m, null);
  }

  static JobSpec timer(
      String name, Duration interval, boolean execFirst, boolean continueOnError, ThrowingRunnable body, Method m) {
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException(
          "Timer " + name + ": the interval must be positive, got " + interval);
    }
    if (Durations.toNanosSaturated(interval) == Long.MAX_VALUE) {
      throw new IllegalArgumentException(
          "Timer " + name + ": the interval " + interval + " is too long (at most about 292 years)");
    }
    return new JobSpec(Kind.TIMER, name, interval, execFirst, continueOnError, null, null, null, m, body);
  }

  static JobSpec cron(String name, String expression, ZoneId zone, boolean continueOnError, ThrowingRunnable body, Method m) {
    return new JobSpec(
        Kind.CRON, name, null, false, continueOnError, expression, parseCron(expression), zone, m, body);
  }

  /** Parses a 5-field Unix cron expression, or throws naming it and the accepted form. */
  static ExecutionTime parseCron(String expression) {
    Objects.requireNonNull(expression, "cron expression");
    try {
      Cron c = UNIX_CRON.parse(expression.strip());
      c.validate();
      return ExecutionTime.forCron(c);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Invalid cron expression \""
              + expression
              + "\": use 5 fields, minute hour day-of-month month day-of-week, e.g. \"*/5 * * * *\" or \"0 3 * * MON-FRI\" ("
              + e.getMessage()
              + ")",
          e);
    }
  }

  /** Parses a zone id; empty means the system default. Throws naming the value. */
  static ZoneId parseZone(String zone) {
    if (zone == null || zone.isBlank()) return ZoneId.systemDefault();
    try {
      return ZoneId.of(zone.strip());
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "Invalid time zone \""
              + zone
              + "\": use a region id such as \"Europe/Oslo\" or \"America/New_York\", \"UTC\", an offset such as \"+02:00\", or \"\" for the system default",
          e);
    }
  }

  String scheduleText() {
    return switch (kind) {
      case TASK -> "";
      case TIMER -> Durations.format(interval);
      case CRON -> cronText + " (" + zone.getId() + ")";
    };
  }

  private static final Object[] NO_ARGS = {};

  /** The body to run for {@code service}: the programmatic body, or the annotated method on it. */
  ThrowingRunnable bind(Service service) {
    if (body != null) return body;
    return () -> invoke(service);
  }

  /** Runs the body once for {@code service}, without making a runnable for it (a timer's run). */
  void run(Service service) throws Exception {
    if (body != null) {
      body.run();
      return;
    }
    invoke(service);
  }

  private void invoke(Service service) throws Exception {
    try {
      method.invoke(service, NO_ARGS); // not method.invoke(service): that allocates an empty array per run
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception ex) throw ex;
      if (cause instanceof Error err) throw err;
      throw e;
    }
  }
}
