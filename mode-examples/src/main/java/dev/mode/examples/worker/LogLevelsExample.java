package dev.mode.examples.worker;

import dev.mode.worker.LogLevels;

/** docs/worker.md "Log levels at run time": the API behind the console's loglevel and the admin's /loggers. */
public final class LogLevelsExample {
  private LogLevelsExample() {}

  /** Turns on DEBUG for one package while investigating, and returns what it was. */
  static String debug(String loggerName) {
    String before = LogLevels.get(loggerName).effectiveLevel();
    LogLevels.set(loggerName, "debug");
    return before;
  }

  /** Puts the package back to inheriting its level from its parent logger. */
  static void reset(String loggerName) {
    LogLevels.set(loggerName, "inherit");
  }

  public static void main(String[] args) {
    String name = args.length > 0 ? args[0] : "dev.mode.examples";
    System.out.println(name + " was " + debug(name) + ", now " + LogLevels.get(name).effectiveLevel());
    reset(name);
    LogLevels.configured().forEach(l -> System.out.println(l.name() + " " + l.effectiveLevel()));
  }
}
