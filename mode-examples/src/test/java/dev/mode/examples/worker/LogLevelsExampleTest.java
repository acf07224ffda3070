package dev.mode.examples.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mode.worker.LogLevels;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The log-level example as docs/worker.md shows it: DEBUG on for a package, then back. */
class LogLevelsExampleTest {
  @Test
  void debugTurnsDebugOnForThePackageAndResetPutsItBack() {
    String name = "dev.mode.examples.loglevels";
    String before = LogLevelsExample.debug(name);
    assertThat(LoggerFactory.getLogger(name + ".Inner").isDebugEnabled()).isTrue();
    LogLevelsExample.reset(name);
    assertThat(LogLevels.get(name).effectiveLevel()).isEqualTo(before);
  }
}
