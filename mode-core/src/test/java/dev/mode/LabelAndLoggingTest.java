package dev.mode;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.mode.Fixtures.NoOpService;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SPEC §1 labels and the logging of SPEC §3–4. */
class LabelAndLoggingTest {

  static class UserCache extends Service {}

  @Test
  void theDefaultLabelIsTheSimpleClassName() {
    assertThat(new UserCache().label()).isEqualTo("UserCache");
    assertThat(new UserCache().shortLabel()).isEqualTo("UserCache");
  }

  @Test
  void anAnonymousServiceGetsAReadableNonEmptyLabel() {
    Service anonymous = new Service() {};
    assertThat(anonymous.label()).isEqualTo("LabelAndLoggingTest.Service");
    Service anonymousSub = new UserCache() {};
    assertThat(anonymousSub.label()).isEqualTo("LabelAndLoggingTest.UserCache");
  }

  @Test
  void labelsAreOverridableAndPathsUseShortLabels() {
    NoOpService app = new NoOpService("App");
    Service cache =
        app.addDependency(
            new Service() {
              @Override
              public String label() {
                return "UserCache (LRU, 10k entries)";
              }

              @Override
              public String shortLabel() {
                return "Cache";
              }
            });
    assertThat(cache.path()).isEqualTo("App/Cache");
    assertThat(cache.beacon().path()).isEqualTo("App/Cache");
  }

  @Test
  void serviceLinesStartWithTheModePrefixAndCarryThePathInTheMdc() {
    NoOpService root = new NoOpService("Worker");
    NoOpService app = root.addDependency(new NoOpService("App"));
    app.addDependency(new NoOpService("Websockets"));
    try (LogCapture logs = LogCapture.info()) {
      root.start();
      root.stop();
      List<String> lines = logs.messages();
      assertThat(lines)
          .containsSubsequence(
              "[^Worker]: Starting...",
              "[^-App]: Starting...",
              "[^--Websockets]: Starting...",
              "[^Worker]: Stopping...",
              "[^-App]: Stopping...",
              "[^--Websockets]: Stopping...");
      assertThat(lines).anyMatch(l -> l.matches("\\[\\^--Websockets]: Stopped in [0-9.]+ ms"));
      assertThat(lines.indexOf("[^--Websockets]: Stopping..."))
          .isLessThan(indexOfStopped(lines, "[^-App]: Stopped in"));
      ILoggingEvent starting =
          logs.events().stream()
              .filter(e -> e.getFormattedMessage().equals("[^--Websockets]: Starting..."))
              .findFirst()
              .orElseThrow();
      assertThat(starting.getLoggerName()).isEqualTo(NoOpService.class.getName());
    }
  }

  @Test
  void theServicePathIsInTheMdcDuringCallbacks() {
    String[] mdc = new String[1];
    NoOpService root = new NoOpService("Root");
    root.addDependency(
        new NoOpService("Child") {
          @Override
          protected void onStart() {
            mdc[0] = org.slf4j.MDC.get(Service.MDC_KEY);
          }
        });
    root.start();
    assertThat(mdc[0]).isEqualTo("Root/Child");
    assertThat(org.slf4j.MDC.get(Service.MDC_KEY)).as("restored after the callback").isNull();
    root.stop();
  }

  private static int indexOfStopped(List<String> lines, String prefix) {
    for (int i = 0; i < lines.size(); i++) if (lines.get(i).startsWith(prefix)) return i;
    return -1;
  }
}
