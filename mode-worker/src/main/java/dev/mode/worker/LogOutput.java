package dev.mode.worker;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit for the Worker's output: writes to its {@link #stream streams} are copied into one
 * in-memory queue, and one writer thread writes whatever has accumulated, each run of bytes for the
 * same target in one {@code write}, then waits for more. A lone line is handed to the writer at once
 * (there is no flush delay); a burst of lines goes out in a few large writes while the writer is
 * busy with the previous ones.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>Order: bytes reach their targets in the order the writes were queued, across every stream
 *       (so a standard-error print queued after a log line on standard output is written after it).
 *   <li>Nothing is dropped: when {@value #LIMIT} bytes wait for the writer (besides the batch it is
 *       writing), writers wait (back-pressure), uninterruptibly; a single larger write waits until
 *       nothing else waits. A write that fails is reported once on the process's standard error
 *       and the writer goes on.
 *   <li>{@link OutputStream#flush()} on a stream returns once everything queued before it, on any
 *       stream, has been written to its target and the target flushed.
 *   <li>After {@link #writeThrough()} (and in the JVM's shutdown hook, which calls it), every write
 *       returns only once it has been written; {@link #batch()} goes back to batching.
 * </ul>
 *
 * <p>Threading: every method is safe from any thread, virtual threads included (the waits are on a
 * {@link ReentrantLock}'s conditions; no monitor is held across them). The writer is a daemon
 * platform thread, so it never keeps the JVM alive. One instance per JVM ({@link #shared()}).
 */
final class LogOutput {
  /** Bytes that may wait for the writer before writers wait for room. */
  static final int LIMIT = 1 << 20;

  private static final ReentrantLock SHARED_LOCK = new ReentrantLock();
  private static LogOutput shared; // guarded by SHARED_LOCK

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition(); // the writer waits for bytes
  private final Condition progress = lock.newCondition(); // writers wait for room, flushes for their bytes
  // guarded by lock: what the writer has not taken yet, and the batch it gives back once written
  private Batch filling = new Batch();
  private Batch spare = new Batch();
  private long queued; // units ever queued: bytes, plus one per close
  private long written; // units written (or failed) by the writer
  private boolean writerIdle;
  private boolean writeThrough;
  private boolean reportedFailure; // only the writer reads and writes it
  private final Thread writer;

  /** A queue with its own writer thread; the Worker uses {@link #shared()}. */
  LogOutput() {
    writer = Thread.ofPlatform().daemon().name("mode-log-writer").unstarted(this::writeLoop);
    writer.start();
  }

  /**
   * The JVM's instance, created (with its writer thread and a shutdown hook that drains it) on first
   * use.
   */
  static LogOutput shared() {
    SHARED_LOCK.lock();
    try {
      if (shared == null) {
        shared = new LogOutput();
        LogOutput out = shared;
        Runtime.getRuntime().addShutdownHook(new Thread(out::writeThrough, "mode-log-drain"));
      }
      return shared;
    } finally {
      SHARED_LOCK.unlock();
    }
  }

  /** The JVM's instance if one was created, else null. */
  static LogOutput existing() {
    SHARED_LOCK.lock();
    try {
      return shared;
    } finally {
      SHARED_LOCK.unlock();
    }
  }

  /**
   * A stream whose bytes go to {@code target} through the queue. Its {@code flush} waits until
   * everything queued so far is written; its {@code close} does that and, with {@code closeTarget},
   * then closes the target (in queue order, on the writer).
   */
  OutputStream stream(OutputStream target, boolean closeTarget) {
    return new Channel(Objects.requireNonNull(target, "target"), closeTarget);
  }

  /** Writes everything queued so far, then makes every later write wait until it is written. */
  void writeThrough() {
    lock.lock();
    try {
      writeThrough = true;
      awaitWritten(queued);
    } finally {
      lock.unlock();
    }
  }

  /** Goes back to batching after {@link #writeThrough()}: writes return once queued. */
  void batch() {
    lock.lock();
    try {
      writeThrough = false;
    } finally {
      lock.unlock();
    }
  }

  /** Waits until everything queued before this call, on every stream, is written. */
  void flush() {
    lock.lock();
    try {
      awaitWritten(queued);
    } finally {
      lock.unlock();
    }
  }

  private void enqueue(OutputStream target, byte[] b, int off, int len) {
    if (len == 0) return;
    lock.lock();
    try {
      // a write larger than the limit goes alone; the writer never waits for itself
      while (filling.bytes > 0 && filling.bytes + len > LIMIT && !onWriter()) progress.awaitUninterruptibly();
      filling.add(target, b, off, len);
      queued += len;
      if (writerIdle) work.signal();
      if (writeThrough) awaitWritten(queued);
    } finally {
      lock.unlock();
    }
  }

  private void enqueueClose(OutputStream target) {
    lock.lock();
    try {
      filling.addClose(target);
      queued++;
      if (writerIdle) work.signal();
      awaitWritten(queued);
    } finally {
      lock.unlock();
    }
  }

  // lock held
  private void awaitWritten(long units) {
    if (onWriter()) return; // the writer cannot wait for itself
    while (written < units) progress.awaitUninterruptibly();
  }

  private boolean onWriter() {
    return Thread.currentThread() == writer;
  }

  private void writeLoop() {
    for (;;) {
      Batch batch;
      lock.lock();
      try {
        while (filling.isEmpty()) {
          writerIdle = true;
          work.awaitUninterruptibly();
        }
        writerIdle = false;
        batch = filling;
        filling = spare;
      } finally {
        lock.unlock();
      }
      batch.writeOut(this);
      long units = batch.units();
      lock.lock();
      try {
        written += units;
        batch.clear();
        spare = batch;
        progress.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  // The log cannot carry this: it is the log that failed. The process's own standard error, once.
  private void reportFailure(int lost, Throwable t) {
    if (reportedFailure) return;
    reportedFailure = true;
    try {
      PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
      err.println("mode-worker: writing the log failed, " + lost + " bytes lost (later failures are not reported): " + t);
    } catch (Throwable ignored) {
      // nothing more can be done
    }
  }

  /**
   * Queued bytes in one buffer, cut into runs: run i is {@code buf[ends[i-1]..ends[i])} for {@code
   * targets[i]}, or a close of it when {@code closes[i]}. Two batches take turns, so that their
   * buffers are reused rather than allocated per line. Guarded by the lock while filling; the writer
   * owns the batch it has taken.
   */
  private static final class Batch {
    byte[] buf = new byte[64 * 1024];
    int bytes;
    OutputStream[] targets = new OutputStream[16];
    int[] ends = new int[16];
    boolean[] closes = new boolean[16];
    int runs;

    boolean isEmpty() {
      return runs == 0;
    }

    void add(OutputStream target, byte[] b, int off, int len) {
      if (bytes + len > buf.length) buf = Arrays.copyOf(buf, Math.max(bytes + len, 2 * buf.length));
      System.arraycopy(b, off, buf, bytes, len);
      bytes += len;
      if (runs > 0 && targets[runs - 1] == target && !closes[runs - 1]) ends[runs - 1] = bytes;
      else newRun(target, false);
    }

    void addClose(OutputStream target) {
      newRun(target, true);
    }

    private void newRun(OutputStream target, boolean close) {
      if (runs == targets.length) {
        targets = Arrays.copyOf(targets, 2 * runs);
        ends = Arrays.copyOf(ends, 2 * runs);
        closes = Arrays.copyOf(closes, 2 * runs);
      }
      targets[runs] = target;
      ends[runs] = bytes;
      closes[runs] = close;
      runs++;
    }

    long units() {
      long units = bytes;
      for (int i = 0; i < runs; i++) if (closes[i]) units++;
      return units;
    }

    void writeOut(LogOutput output) {
      int start = 0;
      for (int i = 0; i < runs; i++) {
        try {
          if (closes[i]) {
            targets[i].close();
          } else {
            targets[i].write(buf, start, ends[i] - start);
            targets[i].flush();
          }
        } catch (Throwable t) {
          // the writer must outlive any failure: every logger and every flush waits on it
          output.reportFailure(ends[i] - start, t);
        }
        start = ends[i];
      }
    }

    void clear() {
      if (buf.length > 2 * LIMIT) buf = new byte[64 * 1024]; // after one very large write
      Arrays.fill(targets, 0, runs, null);
      bytes = 0;
      runs = 0;
    }
  }

  /** One stream onto the queue. */
  private final class Channel extends OutputStream {
    private final OutputStream target;
    private final boolean closeTarget;

    Channel(OutputStream target, boolean closeTarget) {
      this.target = target;
      this.closeTarget = closeTarget;
    }

    @Override
    public void write(int b) {
      enqueue(target, new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      Objects.checkFromIndexSize(off, len, b.length);
      enqueue(target, b, off, len);
    }

    @Override
    public void flush() {
      LogOutput.this.flush();
    }

    @Override
    public void close() {
      if (closeTarget) enqueueClose(target);
      else LogOutput.this.flush();
    }
  }
}
