package dev.mode.worker;

import dev.mode.Durations;
import dev.mode.Service;
import dev.mode.Task;
import dev.mode.Timer;
import java.time.Duration;
import java.util.Arrays;

/**
 * The programs the Worker tests run as subprocesses: {@code TestApp SCENARIO [worker options]}.
 *
 * <ul>
 *   <li>{@code tree}: Worker/App[Cache, Web], each with a sleeping task;
 *   <li>{@code crash}: App whose task throws shortly after start;
 *   <li>{@code exit3}: App whose task asks the Worker to exit with code 3;
 *   <li>{@code blocking}: App whose timer blocks for 3 s on its first run;
 *   <li>{@code slowstart}: SlowStart, whose onStart takes 2 s, then Never (which must not start if a
 *       signal comes during SlowStart's start);
 *   <li>{@code oom}: App whose task allocates until OutOfMemoryError (run with a small heap);
 *   <li>{@code spin}: App whose task keeps its carrier busy for 3 s (run with one carrier);
 *   <li>{@code pin}: App whose task blocks 300 ms inside a class initialiser (pinned on any JDK);
 *   <li>{@code stuck}: App whose onStop never returns (for the shutdown timeout);
 *   <li>{@code many N}: N trivial services, the last printing ALL-SERVICES-STARTED (for {@link
 *       ShutdownMeasure});
 *   <li>{@code chatty N}: Chatty, whose stop logs "line I of N" N times, and after each thousandth
 *       line prints "out-mark I" to standard output and "err-mark I" to standard error;
 *   <li>{@code chattyexit N}: the same, and a task asks for exit code 4 once it has started;
 *   <li>{@code lone}: a task logs "lone line", waits for a line on standard input, logs "released"
 *       and asks for exit code 0;
 *   <li>{@code settings}: SettingsReader logs the program settings db-url, pool-size and cache-ttl
 *       read with {@link Worker#settings()}, then asks for exit code 0.
 * </ul>
 */
public final class TestApp {
  private TestApp() {}

  public static void main(String[] args) {
    String scenario = args[0];
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (scenario) {
      case "tree" -> {
        App app = new App();
        app.addDependency(new Cache());
        app.addDependency(new Web());
        new Worker(app).executeFromCommandLine(rest);
      }
      case "crash" -> new Worker(new Crasher()).executeFromCommandLine(rest);
      case "exit3" -> new Worker(new Exiter()).executeFromCommandLine(rest);
      case "blocking" -> new Worker(new Blocker()).executeFromCommandLine(rest);
      case "stuck" -> new Worker(new Stuck()).executeFromCommandLine(rest);
      case "spin" -> new Worker(new Spinner()).executeFromCommandLine(rest);
      case "slowstart" -> new Worker(new SlowStart(), new Never()).executeFromCommandLine(rest);
      case "oom" -> new Worker(new Hog()).executeFromCommandLine(rest);
      case "pin" -> new Worker(new Pinner()).executeFromCommandLine(rest);
      case "many" -> {
        int n = Integer.parseInt(rest[0]);
        Service[] services = new Service[n];
        for (int i = 0; i < n - 1; i++) services[i] = new Trivial(i);
        services[n - 1] = new ReadyMarker(); // started last: tells the measurer, whatever the log level
        new Worker(services).executeFromCommandLine(Arrays.copyOfRange(rest, 1, rest.length));
      }
      case "chatty" -> new Worker(new Chatty(Integer.parseInt(rest[0]), false))
          .executeFromCommandLine(Arrays.copyOfRange(rest, 1, rest.length));
      case "chattyexit" -> new Worker(new Chatty(Integer.parseInt(rest[0]), true))
          .executeFromCommandLine(Arrays.copyOfRange(rest, 1, rest.length));
      case "lone" -> new Worker(new Lone()).executeFromCommandLine(rest);
      case "settings" -> new Worker(new SettingsReader()).executeFromCommandLine(rest);
      default -> throw new IllegalArgumentException("unknown scenario " + scenario);
    }
  }

  static class App extends Service {
    @Task
    void idle() {
      while (!shouldStop()) sleep(Duration.ofHours(1));
    }
  }

  static class Cache extends Service {
    @Task
    void expire() {
      while (!shouldStop()) sleep(Duration.ofHours(1));
    }
  }

  static class Web extends Service {}

  static class Crasher extends Service {
    @Task
    void failSoon() {
      if (sleep(Duration.ofMillis(300))) throw new IllegalStateException("boom from a task");
    }
  }

  static class Exiter extends Service {
    @Task
    void askToExit() {
      if (sleep(Duration.ofMillis(200))) Worker.running().exit(3);
    }
  }

  static class Blocker extends Service {
    private boolean blocked;

    @Timer("100ms")
    void slowTick() throws InterruptedException {
      if (blocked) return;
      blocked = true;
      Thread.sleep(3000);
    }
  }

  static class SlowStart extends Service {
    @Override
    protected void onStart() throws InterruptedException {
      Thread.sleep(2000);
    }
  }

  static class Never extends Service {}

  static class Hog extends Service {
    @Task
    void hog() {
      if (!sleep(Duration.ofMillis(200))) return;
      java.util.List<long[]> hog = new java.util.ArrayList<>();
      while (!shouldStop()) hog.add(new long[1 << 20]);
    }
  }

  static class Spinner extends Service {
    @Task
    void spin() {
      if (!sleep(Duration.ofMillis(300))) return;
      long end = System.nanoTime() + 3_000_000_000L;
      while (System.nanoTime() < end && !shouldStop()) Thread.onSpinWait();
    }
  }

  static class Pinner extends Service {
    @Task
    void initSlowClass() {
      // the detector's JFR stream starts in the background: pin only once it records
      for (int i = 0; i < 200 && !recording(); i++) {
        if (!sleep(Duration.ofMillis(100))) return;
      }
      log.info("slow class initialised: {}", SlowInit.VALUE);
    }

    private static boolean recording() {
      return jdk.jfr.FlightRecorder.isInitialized()
          && jdk.jfr.FlightRecorder.getFlightRecorder().getRecordings().stream()
              .anyMatch(r -> r.getState() == jdk.jfr.RecordingState.RUNNING);
    }
  }

  static final class SlowInit {
    static final int VALUE;

    static {
      try {
        Thread.sleep(300); // a virtual thread stays pinned while it runs a class initialiser
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      VALUE = 42;
    }
  }

  static class Stuck extends Service {
    @Override
    protected void onStop() {
      while (true) {
        try {
          Thread.sleep(60_000);
        } catch (InterruptedException e) {
          // this service ignores interrupts on purpose
        }
      }
    }
  }

  static final class ReadyMarker extends Service {
    @Override
    protected void onStarted() {
      System.out.println("ALL-SERVICES-STARTED");
      System.out.flush();
    }
  }

  static final class Trivial extends Service {
    private final String name;

    Trivial(int i) {
      this.name = "S" + i;
    }

    @Override
    public String label() {
      return name;
    }
  }

  static final class Chatty extends Service {
    private final int lines;
    private final boolean exit;

    Chatty(int lines, boolean exit) {
      this.lines = lines;
      this.exit = exit;
    }

    @Override
    protected void onStarted() {
      if (exit) addTask("askToExit", () -> Worker.running().exit(4));
    }

    @Override
    protected void onStop() {
      for (int i = 0; i < lines; i++) {
        log.info("line {} of {}", i, lines);
        if (i % 1000 == 0) {
          System.out.println("out-mark " + i);
          System.err.println("err-mark " + i);
        }
      }
    }
  }

  static final class Lone extends Service {
    @Task
    void waitForStdin() throws java.io.IOException {
      log.info("lone line");
      new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8)).readLine();
      log.info("released");
      Worker.running().exit(0);
    }
  }

  static final class SettingsReader extends Service {
    @Override
    protected void onStarted() {
      Settings settings = Worker.settings();
      log.info(
          "settings: db-url={} pool-size={} cache-ttl={}",
          settings.get("db-url", "none"),
          settings.getInt("pool-size", 1),
          Durations.format(settings.getDuration("cache-ttl", Duration.ofMinutes(1))));
      Worker.running().exit(0);
    }
  }
}
