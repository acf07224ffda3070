package dev.mode.examples.flightrecorder;

import dev.mode.Service;
import dev.mode.flightrecorder.FlightRecorder;
import java.time.Duration;

/** The example of docs/flight-recorder.md: a sync that logs its steps only when it is slow. */
public final class FlightRecorderExample {
  private FlightRecorderExample() {}

  static final class UserSync extends Service {
    private final FlightRecorder recorder = new FlightRecorder(log, Duration.ofMillis(200), clock());

    void sync(int pages, Duration perPage) throws InterruptedException {
      try (FlightRecorder.Recording rec = recorder.start("sync " + pages + " pages")) {
        for (int page = 1; page <= pages; page++) {
          rec.info("fetching page {}", page);
          Thread.sleep(perPage); // stands for a call to a slow upstream
        }
        rec.info("synced {} pages", pages);
      }
    }
  }

  public static void main(String[] args) throws Exception {
    UserSync sync = new UserSync();
    sync.start();
    sync.sync(3, Duration.ofMillis(10)); // fast: prints nothing
    sync.sync(3, Duration.ofMillis(100)); // slow: prints its lines, its stack, then the rest
    sync.stop();
  }
}
