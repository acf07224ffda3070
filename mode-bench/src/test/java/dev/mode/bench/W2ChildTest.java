package dev.mode.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** W2's steady window counts, as expected, exactly the runs it accepts as due in it. */
class W2ChildTest {
  static final long S = W2Child.INTERVAL_NANOS;

  @AfterEach
  void resetWindow() {
    W2Child.steadyFrom = Long.MAX_VALUE / 2;
    W2Child.steadyTo = Long.MAX_VALUE / 2;
  }

  @Test
  void theSteadyWindowExpectsTheRunsDueInItAndNoOthers() {
    for (long t0 : new long[] {0, 123_456_789L, S / 2, -7 * S + 1}) {
      for (long from : new long[] {2 * S, 2 * S + 1, 2 * S - 1}) {
        W2Child.steadyFrom = from;
        W2Child.steadyTo = from + 5 * S;
        long accepted = 0;
        for (int run = 1; run <= 20; run++) if (W2Child.inSteady(t0, run)) accepted++;
        assertThat(W2Child.steadyExpected(t0)).as("t0=%d from=%d", t0, from).isEqualTo(accepted).isEqualTo(5);
      }
    }
  }

  @Test
  void aWindowThatEndsBeforeTheFirstRunExpectsNone() {
    W2Child.steadyFrom = S / 4;
    W2Child.steadyTo = S / 2;
    assertThat(W2Child.steadyExpected(0)).isZero();
    assertThat(W2Child.inSteady(0, 1)).isFalse();
  }

  @Test
  void anUnknownSubjectIsRejectedNamingItAndTheAcceptedOnes() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> W2Child.subject("netty"))
        .hasMessageContaining("'netty'")
        .hasMessageContaining("mode, guava, netty-100ms, netty-1ms");
  }
}
