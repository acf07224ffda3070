package dev.mode.test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A Worker program running in this JVM for a test, started by {@link ModeTestKit#startWorker} or
 * {@link ModeTestKit#runWorker}: its exit code (never a {@code System.exit}), its standard output and
 * error, and through {@link ModeTestKit#logs()} its log lines.
 *
 * <pre>{@code
 * WorkerRun run = kit.runWorker(new Worker(new App())::execute, "--help");
 * assertThat(run.exitCode()).hasValue(0);
 * assertThat(run.out()).contains("--loglevel");
 * }</pre>
 *
 * <p>While it runs, {@code System.out} and {@code System.err} of the whole JVM go to this run's
 * capture (the Worker writes there, and routes them through its log writer); they are put back when
 * the program returns. So one program runs at a time. A program still running at the end of the
 * test is interrupted (a Worker then stops gracefully) and the test fails. Thread-safe.
 */
public final class WorkerRun {
  /**
   * A program run as a Worker runs: {@code worker::execute}, or any {@code int main(String...)}-like
   * method that returns its exit code.
   */
  @FunctionalInterface
  public interface Program {
    /** Runs with {@code args} until the program ends; returns the exit code. */
    int execute(String... args) throws Exception;
  }

  private static final AtomicBoolean ONE_AT_A_TIME = new AtomicBoolean();

  private final TextCapture out = new TextCapture();
  private final TextCapture err = new TextCapture();
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile Integer code;
  private volatile Throwable failure;
  private final Thread thread;

  private WorkerRun(Program program, String[] args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    PrintStream toOut = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream toErr = new PrintStream(err, true, StandardCharsets.UTF_8);
    System.setOut(toOut);
    System.setErr(toErr);
    this.thread =
        Thread.ofPlatform()
            .name("mode-test-worker")
            .unstarted(
                () -> {
                  try {
                    code = program.execute(args);
                  } catch (Throwable t) {
                    failure = t;
                  } finally {
                    if (System.out == toOut) System.setOut(oldOut);
                    if (System.err == toErr) System.setErr(oldErr);
                    ONE_AT_A_TIME.set(false);
                    done.countDown();
                  }
                });
  }

  static WorkerRun start(Program program, String... args) {
    Objects.requireNonNull(program, "program");
    Objects.requireNonNull(args, "args");
    if (!ONE_AT_A_TIME.compareAndSet(false, true)) {
      throw new IllegalStateException(
          "Another Worker program is running in this JVM: wait for its exit (awaitExit) before starting one more");
    }
    WorkerRun run;
    try {
      run = new WorkerRun(program, args.clone());
    } catch (RuntimeException | Error e) {
      ONE_AT_A_TIME.set(false);
      throw e;
    }
    run.thread.start();
    return run;
  }

  /**
   * Waits for the program to end and returns its exit code.
   *
   * @throws AssertionError with the output so far if it is still running after {@code timeout}, or
   *     if it threw instead of returning a code
   */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!done.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      throw new AssertionError("The Worker program still runs after " + timeout + ". Output so far:\n" + out() + err());
    }
    Throwable t = failure;
    if (t != null) throw new AssertionError("The Worker program threw instead of returning an exit code: " + t, t);
    return code;
  }

  /** The exit code, once the program has returned. */
  public OptionalInt exitCode() {
    Integer c = code;
    return c == null ? OptionalInt.empty() : OptionalInt.of(c);
  }

  /** True until the program returns. */
  public boolean isRunning() {
    return done.getCount() > 0;
  }

  /** Standard output so far (the banner, and the log when the Worker writes it there). */
  public String out() {
    return out.text();
  }

  /** Standard error so far (usage errors, thread dumps). */
  public String err() {
    return err.text();
  }

  /**
   * Waits until standard output contains {@code text}, and returns the output so far.
   *
   * @throws AssertionError with the output so far when time runs out
   */
  public String awaitOut(String text, Duration timeout) throws InterruptedException {
    if (!out.await(text, timeout)) {
      throw new AssertionError("No \"" + text + "\" on standard output within " + timeout + ". Output so far:\n" + out());
    }
    return out();
  }

  // at the end of the test: a program still running is interrupted (a Worker stops on that) and reported
  String stopIfRunning(Duration grace) throws InterruptedException {
    if (!isRunning()) return null;
    thread.interrupt();
    boolean ended = done.await(grace.toNanos(), TimeUnit.NANOSECONDS);
    return "A Worker program was still running at the end of the test; "
        + (ended ? "it was interrupted and stopped" : "it did not stop within " + grace + " of an interrupt");
  }

  /** Bytes written, readable as text at any time, with a wait for a piece of text. */
  private static final class TextCapture extends OutputStream {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition written = lock.newCondition();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(); // guarded by lock

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      lock.lock();
      try {
        bytes.write(b, off, len);
        written.signalAll();
      } finally {
        lock.unlock();
      }
    }

    String text() {
      lock.lock();
      try {
        return bytes.toString(StandardCharsets.UTF_8);
      } finally {
        lock.unlock();
      }
    }

    boolean await(String text, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      lock.lock();
      try {
        while (!bytes.toString(StandardCharsets.UTF_8).contains(text)) {
          long wait = deadline - System.nanoTime();
          if (wait <= 0) return false;
          written.awaitNanos(wait);
        }
        return true;
      } finally {
        lock.unlock();
      }
    }
  }
}
