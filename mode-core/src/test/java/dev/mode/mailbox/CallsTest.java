package dev.mode.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The one reply helper of call (Mailbox and ConfinedService): what the body threw, as itself. */
class CallsTest {
  @Test
  void aResultIsReturned() throws Exception {
    assertThat(Calls.await(CompletableFuture.completedFuture("ok"))).isEqualTo("ok");
  }

  @Test
  void aCheckedExceptionOrErrorFromTheBodyIsRethrownUnwrapped() {
    IOException io = new IOException("disk");
    assertThatThrownBy(() -> Calls.await(CompletableFuture.failedFuture(io))).isSameAs(io);
    StackOverflowError error = new StackOverflowError("deep");
    assertThatThrownBy(() -> Calls.await(CompletableFuture.failedFuture(error))).isSameAs(error);
  }

  @Test
  void aThrowableThatIsNeitherKeepsItsWrapperAndACancelledCallSaysSo() {
    Throwable odd = new Throwable("odd");
    assertThatThrownBy(() -> Calls.await(CompletableFuture.failedFuture(odd)))
        .isInstanceOf(ExecutionException.class)
        .hasCause(odd);
    CompletableFuture<String> cancelled = new CompletableFuture<>();
    cancelled.cancel(true);
    assertThatThrownBy(() -> Calls.await(cancelled)).isInstanceOf(CancellationException.class);
  }
}
