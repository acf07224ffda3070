package dev.mode.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The group commit under the Worker's output: order, no loss, back-pressure, write-through. */
class LogOutputTest {
  /** Records, in the writer's order, which target got which bytes. Only the writer thread writes. */
  private static final class Journal {
    final StringBuilder text = new StringBuilder();

    OutputStream target(char name) {
      return new OutputStream() {
        @Override
        public void write(int b) {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          for (String record : new String(b, off, len, StandardCharsets.UTF_8).split(";", -1)) {
            if (!record.isEmpty()) text.append(name).append('=').append(record).append(';');
          }
        }
      };
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void concurrentWritersLoseNothingAndEachKeepsItsOrderAcrossTargets(long seed) throws Exception {
    LogOutput output = new LogOutput();
    Journal journal = new Journal();
    OutputStream a = output.stream(journal.target('A'), false);
    OutputStream b = output.stream(journal.target('B'), false);
    int threads = 4;
    int records = 2000;
    List<Thread> writers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Random random = new Random(seed * 31 + t);
      int id = t;
      writers.add(Thread.ofVirtual().start(() -> {
        for (int i = 0; i < records; i++) {
          boolean toA = random.nextBoolean();
          // some records are large, so that batches cut anywhere and the limit is reached
          String pad = random.nextInt(50) == 0 ? "x".repeat(random.nextInt(300_000)) : "";
          String record = id + ":" + i + (toA ? "A" : "B") + pad + ";";
          try {
            (toA ? a : b).write(record.getBytes(StandardCharsets.UTF_8));
          } catch (java.io.IOException e) {
            throw new AssertionError(e);
          }
        }
      }));
    }
    for (Thread w : writers) w.join();
    a.flush();
    int[] next = new int[threads];
    for (String entry : journal.text.toString().split(";")) {
      String target = entry.substring(0, 1);
      String record = entry.substring(2).replaceAll("x+$", "");
      int id = Integer.parseInt(record.substring(0, record.indexOf(':')));
      int i = Integer.parseInt(record.substring(record.indexOf(':') + 1, record.length() - 1));
      assertThat(i).as("seed %d: writer %d's next record (got %s)", seed, id, entry).isEqualTo(next[id]);
      assertThat(record).as("seed %d: written to the target it was meant for", seed).endsWith(target);
      next[id]++;
    }
    assertThat(next).as("seed %d: records written per writer", seed).containsOnly(records);
  }

  @Test
  void writersWaitWhileTheQueueIsFullAndNothingIsLostOnceTheTargetMovesAgain() throws Exception {
    LogOutput output = new LogOutput();
    CountDownLatch stuck = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicLong received = new AtomicLong();
    OutputStream slow = output.stream(new OutputStream() {
      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        stuck.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
        received.addAndGet(len);
      }
    }, false);
    slow.write(new byte[1]);
    stuck.await(); // the writer is inside the target's write
    int piece = 1024;
    int pieces = 2 * LogOutput.LIMIT / piece;
    AtomicLong accepted = new AtomicLong();
    Thread producer = Thread.ofVirtual().start(() -> {
      for (int i = 0; i < pieces; i++) {
        try {
          slow.write(new byte[piece], 0, piece);
        } catch (java.io.IOException e) {
          throw new AssertionError(e);
        }
        accepted.addAndGet(piece);
      }
    });
    await().atMost(Duration.ofSeconds(30)).until(() -> producer.getState() == Thread.State.WAITING);
    assertThat(accepted.get()).as("bytes queued while the target does not move").isLessThanOrEqualTo(LogOutput.LIMIT);
    release.countDown();
    producer.join();
    slow.flush();
    assertThat(received.get()).isEqualTo(1 + (long) pieces * piece);
  }

  @Test
  void afterWriteThroughAWriteIsWrittenWhenItReturns() throws Exception {
    LogOutput output = new LogOutput();
    ByteArrayOutputStream target = new ByteArrayOutputStream();
    OutputStream s = output.stream(target, false);
    output.writeThrough();
    s.write("one line\n".getBytes(StandardCharsets.UTF_8));
    assertThat(target.toString(StandardCharsets.UTF_8)).isEqualTo("one line\n");
    output.batch();
    s.write("two\n".getBytes(StandardCharsets.UTF_8));
    s.flush();
    assertThat(target.toString(StandardCharsets.UTF_8)).isEqualTo("one line\ntwo\n");
  }

  @Test
  void closingAStreamThatOwnsItsTargetClosesItAfterItsBytes() throws Exception {
    LogOutput output = new LogOutput();
    StringBuilder events = new StringBuilder();
    OutputStream s = output.stream(new OutputStream() {
      @Override
      public void write(int b) {
        events.append((char) b);
      }

      @Override
      public void close() {
        events.append("|closed");
      }
    }, true);
    s.write("abc".getBytes(StandardCharsets.US_ASCII));
    s.close();
    assertThat(events.toString()).isEqualTo("abc|closed");
  }
}
