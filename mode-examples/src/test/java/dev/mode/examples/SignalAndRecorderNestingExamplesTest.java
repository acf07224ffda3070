package dev.mode.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mode.examples.flightrecorder.NestedRecordingExample;
import dev.mode.examples.signal.BoundSignalExample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The examples docs/signals.md (bound signals) and docs/flight-recorder.md (nesting) show run. */
@Timeout(60)
class SignalAndRecorderNestingExamplesTest {
  @Test
  void boundSignalExampleCountsEvictionsPerCacheWithOneReceiver() throws Exception {
    assertThat(ToolkitExamplesTest.output(() -> BoundSignalExample.main(new String[0])))
        .contains("audit: evicted u1\naudit: evicted u2\naudit: evicted o1\n")
        .contains("evictions per cache: {orders=1, users=2}")
        .contains("audit: evicted o2\nafter disconnect: {orders=1, users=2}");
  }

  @Test
  void nestedRecordingExampleRuns() throws Exception {
    NestedRecordingExample.main(new String[0]);
  }
}
