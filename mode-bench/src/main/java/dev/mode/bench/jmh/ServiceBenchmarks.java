package dev.mode.bench.jmh;

import dev.mode.Service;
import dev.mode.Timer;
import dev.mode.time.ManualClock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Hot paths of a service's life, one operation each, in microseconds per operation. Run with {@code
 * ./build.sh bench jmh} (see docs/performance.md).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ServiceBenchmarks {

  /** A service with trivial callbacks. */
  public static final class Trivial extends Service {
    @Override
    protected void onStart() {}
  }

  /** A service with one timer, as W2 builds 100,000 of. */
  public static final class WithTimer extends Service {
    @Timer("1s")
    void tick() {}
  }

  /** A parent with ten trivial children: one inner node of W1's tree. */
  public static final class Parent extends Service {}

  /** Constructing a service: class model look-up, logger, timer jobs. */
  @Benchmark
  public Service construct() {
    return new WithTimer();
  }

  /** start() then stop() of one new service with trivial callbacks. */
  @Benchmark
  public Service startStopOne() {
    Service s = new Trivial();
    s.start();
    s.stop();
    return s;
  }

  /** start() then stop() of one new service with a 1 s timer (armed at start, disarmed at stop). */
  @Benchmark
  public Service startStopWithTimer() {
    Service s = new WithTimer();
    s.start();
    s.stop();
    return s;
  }

  /** start() then stop() of a parent with ten children (eleven services). */
  @Benchmark
  public Service startStopFamilyOf11() {
    Service p = new Parent();
    for (int i = 0; i < 10; i++) p.addDependency(new Trivial());
    p.start();
    p.stop();
    return p;
  }

  /** A running service, for addTask. */
  @State(Scope.Benchmark)
  public static class Running {
    Service service;

    @Setup(Level.Trial)
    public void start() {
      service = new Trivial();
      service.start();
    }

    @TearDown(Level.Trial)
    public void stop() {
      service.stop();
    }
  }

  /** addTask on a running service and waiting for the task to end: a virtual thread's round trip. */
  @Benchmark
  public Object addTaskAndJoin(Running r, Blackhole bh) throws Exception {
    return r.service.addTask("t", () -> bh.consume(1)).get();
  }

  /** A service with a 1 ms timer on a manual clock, for timer ticks. */
  @State(Scope.Benchmark)
  public static class Ticking {
    final ManualClock clock = new ManualClock();
    Service service;

    @Setup(Level.Trial)
    public void start() {
      service = new Service() {};
      service.addTimer("tick", Duration.ofMillis(1), () -> {});
      service.setClock(clock);
      service.start();
    }

    @TearDown(Level.Trial)
    public void stop() {
      service.stop();
    }
  }

  /**
   * One timer tick: the clock fires the timer, a virtual thread runs the body, the timer re-arms.
   * Timed to the moment the timer is armed again.
   */
  @Benchmark
  public boolean timerTick(Ticking t) throws InterruptedException {
    t.clock.advance(Duration.ofMillis(1));
    return t.clock.awaitScheduled(1, Duration.ofSeconds(10));
  }

  /** A debug line on a service logger whose level is WARN: what each suppressed log line costs. */
  @Benchmark
  public void suppressedLogLine() {
    LOG_PROBE.debugLine();
  }

  private static final LogProbe LOG_PROBE = new LogProbe();

  /** A service that logs one debug line on request. */
  static final class LogProbe extends Service {
    void debugLine() {
      log.debug("suppressed {}", this);
    }
  }
}
