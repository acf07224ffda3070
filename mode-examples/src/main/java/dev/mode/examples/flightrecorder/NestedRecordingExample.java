package dev.mode.examples.flightrecorder;

import dev.mode.Service;
import dev.mode.flightrecorder.FlightRecorder;
import java.time.Duration;

/**
 * The nesting example of docs/flight-recorder.md: a context on the recording, a wrapped store whose
 * calls are logged, and a helper that logs to whatever recording runs it.
 */
public final class NestedRecordingExample {
  private NestedRecordingExample() {}

  /** The interface through which calls are logged. */
  interface UserStore {
    String load(int id);
  }

  static final class SlowStore implements UserStore {
    private final Duration delay;

    SlowStore(Duration delay) {
      this.delay = delay;
    }

    @Override
    public String load(int id) {
      try {
        Thread.sleep(delay); // stands for a slow database
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "user-" + id;
    }
  }

  static final class Importer extends Service {
    private final FlightRecorder recorder = new FlightRecorder(log, Duration.ofMillis(500), clock());

    void importUsers(String tenant, UserStore users, int... ids) {
      try (FlightRecorder.Recording rec = recorder.start("import " + tenant).context("tenant", tenant)) {
        UserStore store = rec.wrap(UserStore.class, users); // each call logged to the recording
        for (int id : ids) {
          remember(store.load(id));
        }
      }
    }

    // deep inside the operation: logs to the recording of this thread, if any
    private static void remember(String user) {
      FlightRecorder.current().ifPresent(rec -> rec.debug("remembered {}", user));
    }
  }

  public static void main(String[] args) {
    Importer importer = new Importer();
    importer.start();
    importer.importUsers("fast", new SlowStore(Duration.ofMillis(5)), 1, 2); // prints nothing
    importer.importUsers("slow", new SlowStore(Duration.ofMillis(250)), 1, 2, 3); // replays with context
    importer.stop();
  }
}
