package com.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mode.State;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GreeterTest {

  @Test
  void greetsOnceItHasStartedAndStopsInOrder() {
    try (Greeter greeter = new Greeter()) {
      greeter.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> greeter.greetings() >= 1);
      greeter.stop();
      assertThat(greeter.state()).isEqualTo(State.SHUTDOWN);
    }
  }

  @Test
  void mainRunsTheGreeterUnderTheWorkerUntilAskedToExit() throws Exception {
    Greeter greeter = new Greeter();
    var worker = Main.worker(greeter);
    CompletableFuture<Integer> exitCode = CompletableFuture.supplyAsync(() -> worker.execute("--quiet"));

    await().atMost(Duration.ofSeconds(30)).until(() -> greeter.greetings() >= 1);
    worker.exit(0);

    assertThat(exitCode.get(30, TimeUnit.SECONDS)).isZero();
    assertThat(greeter.state()).isEqualTo(State.SHUTDOWN);
  }
}
