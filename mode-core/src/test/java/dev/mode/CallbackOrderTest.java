package dev.mode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** SPEC §2–3: the callback order of A[B, C[D]] on start, stop and restart. */
class CallbackOrderTest {
  final Trace trace = new Trace();
  final TracingService a = new TracingService("A", trace);
  final TracingService b = a.addDependency(new TracingService("B", trace));
  final TracingService c = a.addDependency(new TracingService("C", trace));
  final TracingService d = c.addDependency(new TracingService("D", trace));

  @Test
  void firstStartRunsInitThenEachDependencyFullyInInsertionOrder() {
    a.start();
    assertThat(trace.drain())
        .containsExactly(
            "A.onInitDependencies", "A.onFirstStart", "A.onStart",
            "B.onInitDependencies", "B.onFirstStart", "B.onStart", "B.onStarted",
            "C.onInitDependencies", "C.onFirstStart", "C.onStart",
            "D.onInitDependencies", "D.onFirstStart", "D.onStart", "D.onStarted",
            "C.onStarted", "A.onStarted");
    assertThat(List.of(a, b, c, d)).allMatch(s -> s.state() == State.RUNNING);
  }

  @Test
  void stopRunsOnStopThenDependenciesInReverseThenOnShutdown() {
    a.start();
    trace.drain();
    a.stop();
    assertThat(trace.drain())
        .containsExactly(
            "A.onStop",
            "C.onStop", "D.onStop", "D.onShutdown", "C.onShutdown",
            "B.onStop", "B.onShutdown",
            "A.onShutdown");
    assertThat(List.of(a, b, c, d)).allMatch(s -> s.state() == State.SHUTDOWN);
  }

  @Test
  void restartStopsResetsCallsOnRestartAndStartsWithoutFirstStartCallbacks() {
    a.start();
    trace.drain();
    a.restart();
    assertThat(trace.drain())
        .containsExactly(
            "A.onStop", "C.onStop", "D.onStop", "D.onShutdown", "C.onShutdown", "B.onStop",
            "B.onShutdown", "A.onShutdown",
            "A.onRestart",
            "A.onStart", "B.onStart", "B.onStarted", "C.onStart", "D.onStart", "D.onStarted",
            "C.onStarted", "A.onStarted");
    assertThat(a.restartCount()).isEqualTo(1);
    assertThat(d.restartCount()).as("dependencies are reset with their parent").isEqualTo(1);
    assertThat(a.dependencies()).containsExactly(b, c);
    assertThat(a.state()).isEqualTo(State.RUNNING);
  }
}
