package dev.mode;

import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * What a wait of {@link Service#waitFor(java.util.concurrent.Future, java.time.Duration)} or {@link
 * Service#waitForFirst} came to: the future's outcome, or why the wait ended without one (the
 * service stopped or crashed, the timeout passed, the thread was interrupted). Immutable.
 *
 * <pre>{@code
 * WaitResult<Reply> r = waitFor(client.send(request), Duration.ofSeconds(5));
 * if (r.stopped()) return;             // the service is stopping: give up quietly
 * if (r.isCompleted()) handle(r.value());
 * }</pre>
 *
 * @param <T> the future's value type
 */
public final class WaitResult<T> {
  /** How a wait ended. */
  public enum Outcome {
    /** The future completed with a value: {@link #value()}. */
    COMPLETED,
    /** The future completed exceptionally: {@link #failure()}. */
    FAILED,
    /** The future was cancelled. */
    CANCELLED,
    /** The timeout passed first; the future goes on. */
    TIMED_OUT,
    /** The service began to stop or crashed first; the future goes on. */
    STOPPED,
    /** The waiting thread was interrupted (its interrupt flag is kept); the future goes on. */
    INTERRUPTED
  }

  private final Outcome outcome;
  private final T value;
  private final Throwable failure;
  private final int index;

  private WaitResult(Outcome outcome, T value, Throwable failure, int index) {
    this.outcome = outcome;
    this.value = value;
    this.failure = failure;
    this.index = index;
  }

  static <T> WaitResult<T> completed(T value, int index) {
    return new WaitResult<>(Outcome.COMPLETED, value, null, index);
  }

  static <T> WaitResult<T> failed(Throwable failure, int index) {
    return new WaitResult<>(Outcome.FAILED, null, failure, index);
  }

  static <T> WaitResult<T> cancelled(int index) {
    return new WaitResult<>(Outcome.CANCELLED, null, null, index);
  }

  static <T> WaitResult<T> ended(Outcome outcome) {
    return new WaitResult<>(outcome, null, null, -1);
  }

  /** How the wait ended. */
  public Outcome outcome() {
    return outcome;
  }

  /** True if the future completed with a value. */
  public boolean isCompleted() {
    return outcome == Outcome.COMPLETED;
  }

  /** True if the future finished: completed, failed or cancelled. */
  public boolean isDone() {
    return outcome == Outcome.COMPLETED || outcome == Outcome.FAILED || outcome == Outcome.CANCELLED;
  }

  /** True if the wait ended because the service began to stop or crashed (Mode's {@code stopped}). */
  public boolean stopped() {
    return outcome == Outcome.STOPPED;
  }

  /**
   * The future's value.
   *
   * @throws NoSuchElementException unless the outcome is COMPLETED (the message says what it was)
   */
  public T value() {
    if (outcome != Outcome.COMPLETED) throw new NoSuchElementException("No value: the wait ended " + outcome);
    return value;
  }

  /** What the future failed with (for a CompletableFuture, unwrapped from CompletionException); null unless FAILED. */
  public Throwable failure() {
    return failure;
  }

  /** Which future finished: its position in the list given to {@code waitForFirst} (0 for one); -1 if none did. */
  public int index() {
    return index;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WaitResult<?> w
        && w.outcome == outcome
        && w.index == index
        && Objects.equals(w.value, value)
        && Objects.equals(w.failure, failure);
  }

  @Override
  public int hashCode() {
    return Objects.hash(outcome, value, failure, index);
  }

  @Override
  public String toString() {
    return switch (outcome) {
      case COMPLETED -> "WaitResult[COMPLETED #" + index + ": " + value + "]";
      case FAILED -> "WaitResult[FAILED #" + index + ": " + failure + "]";
      case CANCELLED -> "WaitResult[CANCELLED #" + index + "]";
      default -> "WaitResult[" + outcome + "]";
    };
  }
}
