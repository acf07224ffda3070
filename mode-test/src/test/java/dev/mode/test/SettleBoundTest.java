package dev.mode.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mode.Service;
import dev.mode.Timer;
import dev.mode.time.ManualClock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** A run that blocks on the test itself cannot hang {@code advance}: the quiet timeout bounds the wait. */
@ModeTest
class SettleBoundTest {
  /** Its timer run waits for the test. */
  static final class WaitsForTheTest extends Service {
    final CountDownLatch release = new CountDownLatch(1);

    @Timer("1s")
    void tick() throws InterruptedException {
      release.await();
    }
  }

  @Test
  void advanceGivesUpAfterTheQuietTimeoutAndSaysSo(ModeTestKit kit, ManualClock clock, CapturedLogs logs) {
    WaitsForTheTest service = kit.start(new WaitsForTheTest());
    clock.setQuietTimeout(Duration.ofMillis(200));
    try {
      clock.advance(Duration.ofSeconds(1)); // the run blocks until released below

      logs.assertLogged(Level.WARN, "1 piece(s) of work still running after the quiet timeout of PT0.2S; moving on unsettled");
      assertThat(clock.elapsed()).isEqualTo(Duration.ofSeconds(1));
    } finally {
      service.release.countDown();
    }
  }
}
