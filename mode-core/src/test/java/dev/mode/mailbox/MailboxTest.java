package dev.mode.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mode.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SPEC §8: an actor-style mailbox with bounded capacity, call and cast. */
class MailboxTest {
  Mailbox mailbox = new Mailbox(2);

  @AfterEach
  void stop() {
    mailbox.stop();
  }

  @Test
  void messagesRunOneAtATimeInArrivalOrder() throws Exception {
    Mailbox big = new Mailbox(1000);
    mailbox = big;
    big.start();
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    List<Integer> order = new ArrayList<>(); // touched only by messages
    for (int i = 0; i < 500; i++) {
      int n = i;
      big.cast(() -> {
        if (inside.incrementAndGet() > 1) overlaps.incrementAndGet();
        order.add(n);
        inside.decrementAndGet();
      });
    }
    List<Integer> seen = big.call(() -> List.copyOf(order));
    assertThat(overlaps.get()).isZero();
    assertThat(seen).hasSize(500).isSorted();
  }

  @Test
  void callReturnsTheResultOrRethrows() throws Exception {
    mailbox.start();
    assertThat(mailbox.call(() -> "pong")).isEqualTo("pong");
    IllegalStateException boom = new IllegalStateException("boom");
    assertThatThrownBy(() -> mailbox.call(() -> {
      throw boom;
    })).isSameAs(boom);
    assertThat(mailbox.state()).isEqualTo(State.RUNNING);
  }

  @Test
  void aFullMailboxRefusesTryCastAndBlocksCastUntilThereIsRoom() throws Exception {
    mailbox.start();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch busy = new CountDownLatch(1);
    mailbox.cast(() -> {
      busy.countDown();
      release.await();
    });
    assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(mailbox.tryCast(() -> {})).isTrue();
    assertThat(mailbox.tryCast(() -> {})).isTrue();
    assertThat(mailbox.size()).isEqualTo(2);
    assertThat(mailbox.tryCast(() -> {})).as("full: capacity 2").isFalse();
    assertThat(mailbox.offer(() -> {}, Duration.ofMillis(1))).isFalse();

    CountDownLatch sent = new CountDownLatch(1);
    Thread sender = Thread.ofVirtual().start(() -> {
      try {
        mailbox.cast(() -> {});
        sent.countDown();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> sender.getState() == Thread.State.WAITING);
    assertThat(sent.getCount()).as("the sender waits for room").isEqualTo(1);
    release.countDown();
    assertThat(sent.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void sendingToAStoppedMailboxFailsClearly() throws Exception {
    mailbox.start();
    mailbox.stop();
    assertThatThrownBy(() -> mailbox.cast(() -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Cannot send to Mailbox: it is SHUTDOWN");
    assertThatThrownBy(() -> mailbox.tryCast(() -> {})).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> mailbox.call(() -> 1)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void stopProcessesTheQueuedMessagesFirstAndReleasesBlockedSenders() throws Exception {
    mailbox.start();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch busy = new CountDownLatch(1);
    List<String> ran = new CopyOnWriteArrayList<>();
    mailbox.cast(() -> {
      busy.countDown();
      release.await();
    });
    assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
    mailbox.cast(() -> ran.add("a"));
    mailbox.cast(() -> ran.add("b"));
    List<Throwable> senderFailure = new CopyOnWriteArrayList<>();
    Thread blocked = Thread.ofVirtual().start(() -> {
      try {
        mailbox.cast(() -> ran.add("too late"));
      } catch (Throwable t) {
        senderFailure.add(t);
      }
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> blocked.getState() == Thread.State.WAITING);
    Thread stopper = Thread.ofVirtual().start(mailbox::stop);
    blocked.join();
    assertThat(senderFailure).singleElement().isInstanceOf(IllegalStateException.class);
    release.countDown();
    stopper.join();
    assertThat(ran).containsExactly("a", "b");
    assertThat(mailbox.state()).isEqualTo(State.SHUTDOWN);
  }

  @Test
  void messagesSentBeforeStartRunOnceItStarts() throws Exception {
    List<String> ran = new CopyOnWriteArrayList<>();
    mailbox.cast(() -> ran.add("early"));
    mailbox.start();
    assertThat(mailbox.call(() -> List.copyOf(ran))).containsExactly("early");
  }

  @Test
  void aFailingCastIsLoggedAndProcessingGoesOn() throws Exception {
    mailbox.start();
    mailbox.cast(() -> {
      throw new IllegalStateException("bad message");
    });
    assertThat(mailbox.call(() -> "still here")).isEqualTo("still here");
  }

  @Test
  void aMessageCannotCallItsOwnMailbox() throws Exception {
    mailbox.start();
    assertThatThrownBy(() -> mailbox.call(() -> mailbox.call(() -> 1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("would wait for itself");
  }

  @Test
  void aNonPositiveCapacityIsRejected() {
    assertThatThrownBy(() -> new Mailbox(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("capacity must be positive, got 0");
  }
}
