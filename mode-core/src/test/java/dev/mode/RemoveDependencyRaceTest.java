package dev.mode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mode.Fixtures.BlockingTaskService;
import dev.mode.Fixtures.NoOpService;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SPEC §2: {@code removeDependency(child)} racing the parent's {@code start()}/{@code restart()}
 * never leaves the child detached and running. Regression: 124–188 of 500 tries did.
 */
class RemoveDependencyRaceTest {
  // virtual threads: the common pool may have one worker on two cores, and these must run at once
  static final ExecutorService VT = Executors.newVirtualThreadPerTaskExecutor();


  static List<Long> seeds() {
    List<Long> seeds = new ArrayList<>();
    for (long s = 1; s <= 5; s++) seeds.add(s * 104_729);
    return seeds;
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void aRemovedDependencyIsNeverLeftRunning(long seed) throws Exception {
    Random random = new Random(seed);
    int leftRunning = 0;
    List<String> examples = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      NoOpService parent = new NoOpService("P");
      BlockingTaskService child = parent.addDependency(new BlockingTaskService("C"));
      boolean restart = random.nextBoolean();
      if (restart) parent.start();
      int spinA = random.nextInt(2000);
      int spinB = random.nextInt(2000);
      CyclicBarrier go = new CyclicBarrier(2);
      CompletableFuture<Void> lifecycle =
          CompletableFuture.runAsync(
              () -> {
                await(go);
                spin(spinA);
                if (restart) parent.restart();
                else parent.start();
              },
              VT);
      CompletableFuture<Void> remove =
          CompletableFuture.runAsync(
              () -> {
                await(go);
                spin(spinB);
                parent.removeDependency(child);
              },
              VT);
      remove.get(30, TimeUnit.SECONDS);
      lifecycle.get(30, TimeUnit.SECONDS);
      State s = child.state();
      if (child.parent().isPresent() || s == State.RUNNING || s == State.STARTING || !child.threads().isEmpty()) {
        leftRunning++;
        if (examples.size() < 3) examples.add("try " + i + (restart ? " restart" : " start") + ": child " + s);
      }
      parent.stop();
      child.stop();
    }
    assertThat(leftRunning).as("seed %d: detached children left running, e.g. %s", seed, examples).isZero();
  }

  private static void await(CyclicBarrier b) {
    try {
      b.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void spin(int n) {
    for (int i = 0; i < n; i++) Thread.onSpinWait();
  }
}
