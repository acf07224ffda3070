package dev.mode;

/** A task body: like {@link Runnable}, but may throw, so blocking calls need no wrapping. */
@FunctionalInterface
public interface ThrowingRunnable {
  void run() throws Exception;
}
