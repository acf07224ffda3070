package dev.mode.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Log levels read and changed at run time, through the API and through the console's loglevel command. */
class LogLevelsTest {
  private static final String NAME = "dev.mode.worker.loglevelstest";

  @AfterEach
  void putLevelsBack() {
    LogLevels.set(NAME, null);
    LogLevels.set(NAME + ".child", null);
  }

  @Test
  void settingALevelTakesEffectAtOnceForThatLoggerAndTheLoggersBelowIt() {
    Logger child = LoggerFactory.getLogger(NAME + ".child");
    LogLevels.set(NAME, "info");
    assertThat(child.isDebugEnabled()).isFalse();

    LogLevels.LoggerLevel after = LogLevels.set(NAME, "DeBuG");

    assertThat(after).isEqualTo(new LogLevels.LoggerLevel(NAME, "DEBUG", "DEBUG"));
    assertThat(child.isDebugEnabled()).as("a child without its own level inherits the change").isTrue();
    assertThat(LogLevels.get(NAME + ".child")).isEqualTo(new LogLevels.LoggerLevel(NAME + ".child", null, "DEBUG"));
  }

  @Test
  void inheritRemovesTheLoggersOwnLevel() {
    LogLevels.set(NAME, "error");
    LogLevels.LoggerLevel after = LogLevels.set(NAME, "inherit");
    assertThat(after.configuredLevel()).isNull();
    assertThat(after.effectiveLevel()).isEqualTo(LogLevels.get("ROOT").effectiveLevel());
  }

  @Test
  void configuredListsTheRootFirstAndEveryLoggerWithItsOwnLevel() {
    LogLevels.set(NAME, "warn");
    assertThat(LogLevels.configured().get(0).name()).isEqualTo("ROOT");
    assertThat(LogLevels.configured()).contains(new LogLevels.LoggerLevel(NAME, "WARN", "WARN"));
  }

  @Test
  void anUnusedNameIsAnsweredWithoutCreatingTheLogger() {
    String unused = NAME + ".never.used.anywhere";
    LogLevels.set(NAME, "trace");
    assertThat(LogLevels.get(unused)).isEqualTo(new LogLevels.LoggerLevel(unused, null, "TRACE"));
    assertThat(((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory()).exists(unused)).isNull();
  }

  @Test
  void aBadLevelIsRefusedNamingTheValueAndTheAcceptedForms() {
    assertThatThrownBy(() -> LogLevels.set(NAME, "verbose"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"verbose\"")
        .hasMessageContaining("TRACE, DEBUG, INFO, WARN, ERROR, OFF");
    assertThat(LogLevels.get(NAME).configuredLevel()).isNull();
  }

  @Test
  void aBadLoggerNameIsRefusedNamingIt() {
    assertThatThrownBy(() -> LogLevels.get("dev mode"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"dev mode\"")
        .hasMessageContaining("dev.mode.examples");
    assertThatThrownBy(() -> LogLevels.set("a..b", "info")).hasMessageContaining("\"a..b\"");
  }

  @Test
  void theRootCannotBeMadeToInherit() {
    assertThatThrownBy(() -> LogLevels.set("root", "inherit")).hasMessageContaining("root logger cannot inherit");
  }

  @Test
  void theConsoleLoglevelCommandShowsAndChangesALevel() {
    Console console = new Console(new Worker(), "127.0.0.1", 0, null);
    LogLevels.set(NAME, "info");

    assertThat(console.run("loglevel " + NAME + " debug")).isEqualTo(NAME + ": INFO -> DEBUG\n");
    assertThat(LoggerFactory.getLogger(NAME).isDebugEnabled()).isTrue();
    assertThat(console.run("loglevel " + NAME)).startsWith(NAME).contains("DEBUG");
    assertThat(console.run("loglevel")).contains("ROOT").contains(NAME);
    assertThat(console.run("loglevel " + NAME + " loud")).contains("Invalid log level \"loud\"");
    assertThat(console.run("help")).contains("loglevel [NAME [LEVEL]]");
  }
}
