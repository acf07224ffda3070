package dev.mode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mode.Fixtures.NoOpService;
import dev.mode.WaitResult.Outcome;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Mode's wait / wait_first: waits that end early, and say so, when the service stops or crashes. */
class WaitForTest {
  static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();

  /** A task that waits, with no bound, for a future nobody completes. */
  static final class WaitingService extends NoOpService {
    final CompletableFuture<String> never = new CompletableFuture<>();
    final AtomicReference<WaitResult<String>> result = new AtomicReference<>();
    final CountDownLatch ended = new CountDownLatch(1);
    final CountDownLatch waiting = new CountDownLatch(1);

    WaitingService() {
      super("Waiting");
    }

    @Task
    void waitForever() {
      waiting.countDown();
      result.set(waitFor(never, FOREVER));
      ended.countDown();
    }
  }

  @Test
  void aTaskWaitingForAFutureIsWokenByACrashAndSaysItStopped() throws Exception {
    // regression: a task blocked in future.get() was not woken by a crash
    WaitingService s = new WaitingService();
    s.start();
    assertThat(s.waiting.await(10, TimeUnit.SECONDS)).isTrue();
    s.crash(new IllegalStateException("boom"));
    assertThat(s.ended.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(s.result.get().outcome()).isEqualTo(Outcome.STOPPED);
    assertThat(s.result.get().stopped()).isTrue();
    assertThat(s.never).isNotDone();
    s.stop();
  }

  @Test
  void aTaskWaitingForAFutureIsWokenByAStop() throws Exception {
    WaitingService s = new WaitingService();
    s.start();
    assertThat(s.waiting.await(10, TimeUnit.SECONDS)).isTrue();
    s.stop();
    assertThat(s.ended.getCount()).isZero();
    assertThat(s.result.get().stopped()).isTrue();
  }

  @Test
  void aCompletedFutureGivesItsValueAndAFailedOneItsCause() {
    NoOpService s = new NoOpService("S");
    CompletableFuture<String> later = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> later.complete("hello"));
    WaitResult<String> ok = s.waitFor(later, Duration.ofSeconds(10));
    assertThat(ok.isCompleted()).isTrue();
    assertThat(ok.value()).isEqualTo("hello");
    assertThat(ok.index()).isZero();

    IllegalStateException boom = new IllegalStateException("boom");
    WaitResult<String> failed = s.waitFor(CompletableFuture.<String>failedFuture(boom), Duration.ofSeconds(10));
    assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(failed.failure()).isSameAs(boom);
    assertThatThrownBy(failed::value).isInstanceOf(NoSuchElementException.class).hasMessageContaining("FAILED");
  }

  @Test
  void theTimeoutEndsTheWaitAndLeavesTheFutureAlone() {
    NoOpService s = new NoOpService("S");
    s.start();
    CompletableFuture<String> never = new CompletableFuture<>();
    WaitResult<String> r = s.waitFor(never, Duration.ofMillis(50));
    assertThat(r.outcome()).isEqualTo(Outcome.TIMED_OUT);
    assertThat(never).isNotDone();
    s.stop();
  }

  @Test
  void aMinimalCompletionStageIsWaitedForToo() {
    NoOpService s = new NoOpService("S");
    CompletableFuture<Integer> source = new CompletableFuture<>();
    CompletionStage<Integer> stage = source.minimalCompletionStage();
    Thread.ofVirtual().start(() -> source.complete(42));
    assertThat(s.waitFor(stage, Duration.ofSeconds(10)).value()).isEqualTo(42);
  }

  @Test
  void waitForFirstReportsWhichFutureFinishedFirstPlainFuturesIncluded() {
    NoOpService s = new NoOpService("S");
    CompletableFuture<String> never = new CompletableFuture<>();
    CountDownLatch go = new CountDownLatch(1);
    FutureTask<String> plain = plainFuture(go);
    Thread.ofVirtual().start(go::countDown);
    WaitResult<String> r = s.waitForFirst(List.of(never, plain), Duration.ofSeconds(10));
    assertThat(r.index()).isEqualTo(1);
    assertThat(r.value()).isEqualTo("plain");
    assertThatThrownBy(() -> s.waitForFirst(List.of(), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one");
  }

  @Test
  void waitForAllReturnsEveryValueInOrderOnceTheLastFutureFinishes() {
    NoOpService s = new NoOpService("S");
    CompletableFuture<String> a = new CompletableFuture<>();
    CountDownLatch go = new CountDownLatch(1);
    FutureTask<String> plain = plainFuture(go);
    Thread.ofVirtual().start(() -> {
      a.complete("a");
      go.countDown();
    });
    WaitResult<List<String>> r = s.waitForAll(List.of(a, plain), Duration.ofSeconds(10));
    assertThat(r.outcome()).isEqualTo(Outcome.COMPLETED);
    assertThat(r.value()).containsExactly("a", "plain");
  }

  @Test
  void waitForAllNamesTheFirstFailureInListOrderOnceAllHaveFinished() {
    NoOpService s = new NoOpService("S");
    WaitResult<List<String>> r =
        s.waitForAll(
            List.of(
                CompletableFuture.completedFuture("ok"),
                CompletableFuture.<String>failedFuture(new IllegalStateException("second")),
                CompletableFuture.<String>failedFuture(new IllegalStateException("third"))),
            Duration.ofSeconds(10));
    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.index()).isEqualTo(1);
    assertThat(r.failure()).hasMessage("second");
  }

  @Test
  void waitForAllIsWokenByACrashWhileOneFutureIsStillPending() throws Exception {
    NoOpService s = new NoOpService("S");
    s.start();
    CompletableFuture<String> never = new CompletableFuture<>();
    AtomicReference<WaitResult<List<String>>> result = new AtomicReference<>();
    CountDownLatch ended = new CountDownLatch(1);
    s.addTask("waitAll", () -> {
      result.set(s.waitForAll(List.of(CompletableFuture.completedFuture("done"), never), FOREVER));
      ended.countDown();
    });
    s.crash(new IllegalStateException("boom"));
    assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(result.get().stopped()).isTrue();
    s.stop();
  }

  // a plain Future (not a CompletableFuture) that completes with "plain" once go is counted down
  private static FutureTask<String> plainFuture(CountDownLatch go) {
    FutureTask<String> plain =
        new FutureTask<>(
            () -> {
              go.await();
              return "plain";
            });
    Thread.ofVirtual().start(plain);
    return plain;
  }

  @Test
  void anInterruptEndsTheWaitAndKeepsTheFlag() throws Exception {
    NoOpService s = new NoOpService("S");
    AtomicReference<WaitResult<Object>> result = new AtomicReference<>();
    AtomicReference<Boolean> flag = new AtomicReference<>();
    Thread t =
        Thread.ofVirtual()
            .start(
                () -> {
                  result.set(s.waitFor(new CompletableFuture<>(), FOREVER));
                  flag.set(Thread.currentThread().isInterrupted());
                });
    org.awaitility.Awaitility.await().until(() -> t.getState() == Thread.State.TIMED_WAITING);
    t.interrupt();
    assertThat(t.join(Duration.ofSeconds(10))).isTrue();
    assertThat(result.get().outcome()).isEqualTo(Outcome.INTERRUPTED);
    assertThat(flag.get()).isTrue();
  }
}
