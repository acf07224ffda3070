package dev.mode.mailbox;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * The reply side of a call made to another thread ({@link Mailbox#call} here, {@code
 * ConfinedService.call} in {@code dev.mode.confined}): waits for the result and rethrows what the
 * body threw as itself, not wrapped in an {@link ExecutionException}.
 *
 * <p>Public only so that both packages share one implementation; it holds no state and is safe from
 * any thread.
 */
public final class Calls {
  private Calls() {}

  /**
   * Waits for {@code result} and returns its value; if the body failed, throws its exception or
   * error unwrapped (a checked exception as itself, so callers declare {@code throws Exception}).
   *
   * @throws InterruptedException if the calling thread is interrupted while waiting (the call itself
   *     is not cancelled: that is the caller's decision)
   * @throws java.util.concurrent.CancellationException if the call was cancelled
   */
  public static <T> T await(Future<T> result) throws Exception {
    try {
      return result.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception ex) throw ex;
      if (cause instanceof Error err) throw err;
      throw e; // a Throwable that is neither: keep the wrapper rather than invent a type
    }
  }
}
