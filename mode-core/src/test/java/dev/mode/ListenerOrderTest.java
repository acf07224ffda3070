package dev.mode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mode.Fixtures.NoOpService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** SPEC §10: listener events per service in order, exactly once, never under the service's lock. */
class ListenerOrderTest {
  // virtual threads: the common pool may have one worker on two cores, and these must run at once
  static final ExecutorService VT = Executors.newVirtualThreadPerTaskExecutor();


  record Change(State from, State to) {}

  @Test
  void startAndStopLoopingOnTwoThreadsDeliverEveryChangeInOrder() throws Exception {
    // regression: 2,859-3,451 of ~25,000 events arrived out of order (SHUTDOWN->INIT right after RUNNING->STOPPING)
    NoOpService s = new NoOpService("S");
    List<Change> heard = new CopyOnWriteArrayList<>();
    s.addListener(
        new Service.Listener() {
          @Override
          public void stateChanged(Service service, State from, State to) {
            heard.add(new Change(from, to));
          }
        });
    CountDownLatch go = new CountDownLatch(1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    CompletableFuture<Void> starter =
        CompletableFuture.runAsync(
            () -> {
              await(go);
              while (busy(heard, deadline)) {
                try {
                  s.start();
                } catch (IllegalStateException | ServiceException e) {
                  // a start racing a stop may be refused; the order of what happened still counts
                }
              }
            },
            VT);
    CompletableFuture<Void> stopper =
        CompletableFuture.runAsync(
            () -> {
              await(go);
              while (busy(heard, deadline)) s.stop();
            },
            VT);
    go.countDown();
    starter.get(60, TimeUnit.SECONDS);
    stopper.get(60, TimeUnit.SECONDS);
    int outOfOrder = 0;
    List<String> examples = new ArrayList<>();
    State last = State.INIT;
    for (Change c : heard) {
      if (c.from() != last) {
        outOfOrder++;
        if (examples.size() < 3) examples.add(last + " then " + c);
      }
      last = c.to();
    }
    assertThat(heard.size()).isGreaterThan(100);
    assertThat(outOfOrder).as("out-of-order events of %d, e.g. %s", heard.size(), examples).isZero();
    assertThat(last).as("the last state heard").isEqualTo(s.state());
  }

  @Test
  void listenersNeverRunUnderTheServicesLock() throws Exception {
    NoOpService s = new NoOpService("S");
    AtomicInteger blocked = new AtomicInteger();
    AtomicInteger heard = new AtomicInteger();
    s.addListener(
        new Service.Listener() {
          @Override
          public void stateChanged(Service service, State from, State to) {
            heard.incrementAndGet();
            // another thread must be able to read the state meanwhile
            try {
              CompletableFuture.supplyAsync(service::state, VT).get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
              blocked.incrementAndGet();
            }
          }
        });
    s.start();
    s.crash(new IllegalStateException("boom"));
    s.restart();
    s.stop();
    assertThat(heard.get()).isGreaterThanOrEqualTo(7);
    assertThat(blocked.get()).isZero();
  }

  @Test
  void removeListenerOfNullThrowsLikeTheRestOfTheApi() {
    NoOpService s = new NoOpService("S");
    assertThatThrownBy(() -> s.removeListener(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("listener");
  }

  @Test
  void addDependencyOfNullNamesItsParameter() {
    NoOpService s = new NoOpService("S");
    assertThatThrownBy(() -> s.addDependency(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("dependency");
  }

  // both threads loop until 3,000 events were heard (or 15 s passed, on a very slow machine)
  private static boolean busy(List<Change> heard, long deadline) {
    return heard.size() < 3_000 && System.nanoTime() - deadline < 0;
  }

  private static void await(CountDownLatch l) {
    try {
      l.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
