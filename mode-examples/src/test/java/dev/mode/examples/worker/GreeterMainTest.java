package dev.mode.examples.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mode.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/worker.md's program settings: the Greeter reads its interval from the --config file. */
class GreeterMainTest {
  @Test
  void theGreeterTakesItsIntervalFromTheConfigFile(@TempDir Path dir) throws Exception {
    Path config = Files.writeString(dir.resolve("greeter.properties"), "greeter-name=ann\ngreeter-interval=20ms\n");
    GreeterMain.Greeter greeter = new GreeterMain.Greeter();
    Worker worker = Worker.builder(greeter).loadExtensions(false).quiet(true).build();
    CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> worker.execute("--config", config.toString()));
    // the default interval is 5 s: three greetings within 5 s come from the file's 20ms
    await().atMost(Duration.ofSeconds(5)).until(() -> greeter.greetings.get() >= 3);
    worker.exit(0);
    assertThat(code.get()).isZero();
  }
}
