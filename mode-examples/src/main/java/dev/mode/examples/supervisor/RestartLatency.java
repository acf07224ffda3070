package dev.mode.examples.supervisor;

import ch.qos.logback.classic.Level;
import dev.mode.Service;
import dev.mode.State;
import dev.mode.Task;
import dev.mode.supervisor.OneForOneSupervisor;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * Measures the time from {@code crash()} to the crashed service being RUNNING again under a {@link
 * OneForOneSupervisor}: the supervisor's reaction (queue hand-off, wake-up) plus the restart itself
 * (stop steps, joining the crashed service's task, reset, start, a new task).
 *
 * <pre>
 * ./build.sh mvn -q -DskipTests -pl mode-examples -am package
 * java -cp "$(cat mode-examples/target/classpath.txt):mode-examples/target/classes" \
 *     dev.mode.examples.supervisor.RestartLatency [crashes] [warm-up crashes] [--log]
 * </pre>
 *
 * Logging is off unless {@code --log} is given (then the crash's ERROR line with its stack and the
 * restart's lines go to the console, and dominate the time).
 */
public final class RestartLatency {
  private RestartLatency() {}

  /** The supervised service: one task that waits, like a typical consumer loop. */
  static final class Consumer extends Service {
    @Task
    void consume() {
      while (!shouldStop()) sleep(Duration.ofSeconds(1));
    }
  }

  public static void main(String[] args) throws Exception {
    int crashes = args.length > 0 && !args[0].startsWith("--") ? Integer.parseInt(args[0]) : 200;
    int warmup = args.length > 1 && !args[1].startsWith("--") ? Integer.parseInt(args[1]) : 200;
    boolean log = Arrays.asList(args).contains("--log");
    if (!log) {
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.OFF);
    }

    Consumer consumer = new Consumer();
    OneForOneSupervisor supervisor = new OneForOneSupervisor(Integer.MAX_VALUE, Duration.ofSeconds(1));
    supervisor.add(consumer);
    long[] runningAt = new long[1];
    CountDownLatch[] running = new CountDownLatch[1];
    supervisor.addListener(new Service.Listener() {
      @Override
      public void stateChanged(Service service, State from, State to) {
        if (service == consumer && to == State.RUNNING && running[0] != null) {
          runningAt[0] = System.nanoTime();
          running[0].countDown();
        }
      }
    });
    supervisor.start();
    try {
      RuntimeException reason = new RuntimeException("measured crash"); // made once: not part of the cost
      long[] micros = new long[crashes];
      for (int i = -warmup; i < crashes; i++) {
        CountDownLatch latch = new CountDownLatch(1);
        running[0] = latch;
        long t0 = System.nanoTime();
        consumer.crash(reason);
        if (!latch.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("no restart within 10 s");
        if (i >= 0) micros[i] = (runningAt[0] - t0) / 1000;
      }
      Arrays.sort(micros);
      System.out.printf(
          "crash -> RUNNING under OneForOneSupervisor, %d crashes after %d warm-up, logging %s:%n"
              + "  median %d us   p90 %d us   p99 %d us   max %d us%n",
          crashes, warmup, log ? "on" : "off",
          micros[crashes / 2], micros[(int) (crashes * 0.90)], micros[(int) Math.min(crashes - 1, crashes * 0.99)],
          micros[crashes - 1]);
    } finally {
      supervisor.stop();
    }
  }
}
