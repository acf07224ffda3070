package dev.mode.bench.jmh;

import dev.mode.signal.Signal;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link Signal#send} on the calling thread, in nanoseconds per send: the cost a sender pays for
 * each event it publishes. Run with {@code ./build.sh bench jmh} (see docs/performance.md).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SignalBenchmarks {

  /** Signals with one and with ten receivers that count what they get (so no send is dead code). */
  @State(Scope.Thread)
  public static class Signals {
    final LongAdder received = new LongAdder();
    final Signal<String> one = new Signal<>("one");
    final Signal<String> ten = new Signal<>("ten");
    final Signal<String> filtered = new Signal<>("filtered");
    final Object sender = new Object();

    @Setup
    public void connect() {
      one.connect(v -> received.increment());
      for (int i = 0; i < 10; i++) ten.connect(v -> received.increment());
      // ten receivers, five of them for another sender: send(sender, v) runs five
      for (int i = 0; i < 5; i++) filtered.connect(v -> received.increment());
      for (int i = 0; i < 5; i++) filtered.connect(new Object(), v -> received.increment());
    }
  }

  /** send to one receiver. */
  @Benchmark
  public void sendToOneReceiver(Signals s) {
    s.one.send("event");
  }

  /** send to ten receivers, in connection order. */
  @Benchmark
  public void sendToTenReceivers(Signals s) {
    s.ten.send("event");
  }

  /** send on behalf of a sender: ten receivers, five of which are for another sender and skipped. */
  @Benchmark
  public void sendFromASenderPastTenReceivers(Signals s) {
    s.filtered.send(s.sender, "event");
  }
}
