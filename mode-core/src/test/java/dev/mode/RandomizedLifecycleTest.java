package dev.mode;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random trees under random start/stop/restart/crash calls from several threads at once, dependencies
 * started directly, removed and added back at run time, with tasks and timers that stop or crash their
 * own service. For every seed: each onStart is matched by exactly one onStop and one onShutdown; a
 * parent's onShutdown sees every dependency inactive; each service's listener hears its changes in
 * order, ending on its state (SPEC §10); the root's stop leaves nothing below it running (SPEC §3); no
 * thread of a stopped service is left alive; nothing deadlocks.
 */
class RandomizedLifecycleTest {

  static List<Long> seeds() {
    List<Long> seeds = new ArrayList<>();
    for (long s = 1; s <= 24; s++) seeds.add(s * 7919);
    return seeds;
  }

  static final class Node extends Service {
    final String name;
    final AtomicInteger onStart = new AtomicInteger();
    final AtomicInteger onStop = new AtomicInteger();
    final AtomicInteger onShutdown = new AtomicInteger();
    final List<String> violations;
    final Bodies threads;

    // written only by this node's listener, which hears its events one at a time
    volatile State lastHeard = State.INIT;

    Node(String name, long seed, List<String> violations, Bodies threads, Random shape) {
      this.name = name;
      this.violations = violations;
      this.threads = threads;
      addListener(
          new Listener() {
            @Override
            public void stateChanged(Service service, State from, State to) {
              if (service != Node.this) return;
              if (from != lastHeard) violations.add(name + " heard " + from + "->" + to + " after " + lastHeard);
              lastHeard = to;
            }
          });
      setStopTimeout(Duration.ofSeconds(20));
      int kind = shape.nextInt(4);
      Random behaviour = new Random(seed ^ name.hashCode());
      if (kind == 1) {
        // a looping task that sometimes stops or crashes its own service
        addTaskOnEveryStart(behaviour);
      } else if (kind == 2) {
        addTimer(
            "tick",
            Duration.ofMillis(1 + shape.nextInt(3)),
            () -> {
              threads.enter();
              try {
                if (behaviour.nextInt(400) == 0) crash(new RuntimeException("timer crash in " + name));
              } finally {
                threads.leave();
              }
            });
      }
    }

    private void addTaskOnEveryStart(Random behaviour) {
      addTimer(
          "spawner",
          Duration.ofMillis(2),
          true,
          false,
          () -> {
            threads.enter();
            try {
              int roll = behaviour.nextInt(300); // runs of one timer never overlap
              if (roll == 0) stop();
              else if (roll == 1) crash(new RuntimeException("self crash in " + name));
              else sleep(Duration.ofMillis(1));
            } finally {
              threads.leave();
            }
          });
    }

    @Override
    public String label() {
      return name;
    }

    @Override
    protected void onStart() {
      onStart.incrementAndGet();
    }

    @Override
    protected void onStop() {
      onStop.incrementAndGet();
    }

    @Override
    protected void onShutdown() {
      onShutdown.incrementAndGet();
      for (Service d : dependencies()) {
        State s = d.state();
        if (s == State.STARTING || s == State.RUNNING || s == State.STOPPING) {
          violations.add(path() + ".onShutdown saw dependency " + d.path() + " " + s);
        }
        for (Thread t : d.threads()) {
          if (t.isAlive()) violations.add(path() + ".onShutdown saw a live thread of " + d.path());
        }
      }
    }
  }

  /**
   * Timer bodies running now. Runs share pooled runner threads that outlive the services, so "no
   * code of a stopped service still runs" is counted here rather than read off thread liveness.
   */
  @SuppressWarnings("serial")
  static final class Bodies extends AtomicInteger {
    void enter() {
      incrementAndGet();
    }

    void leave() {
      decrementAndGet();
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void lifecycleInvariantsHoldUnderConcurrentRandomCalls(long seed) throws Exception {
    Random rnd = new Random(seed);
    List<String> violations = new CopyOnWriteArrayList<>();
    Bodies threads = new Bodies();
    List<Node> nodes = new ArrayList<>();
    int size = 3 + rnd.nextInt(13);
    for (int i = 0; i < size; i++) {
      Node n = new Node("N" + i, seed, violations, threads, rnd);
      if (i > 0) nodes.get(rnd.nextInt(i)).addDependency(n);
      nodes.add(n);
    }
    Node root = nodes.get(0);
    List<Throwable> unexpected = new CopyOnWriteArrayList<>();
    List<Thread> callers = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      long callerSeed = seed * 31 + c;
      callers.add(
          Thread.ofVirtual()
              .name("caller-" + c)
              .start(
                  () -> {
                    Random r = new Random(callerSeed);
                    for (int op = 0; op < 40; op++) {
                      Node target = r.nextInt(3) == 0 ? root : nodes.get(r.nextInt(nodes.size()));
                      Node other = nodes.get(r.nextInt(nodes.size()));
                      try {
                        // a node removeDependency detached is not started again until it is added back:
                        // started detached and added back under a parent that is already shutting
                        // down, it would be a running dependency the parent's onShutdown sees
                        boolean attached = target == root || target.parent().isPresent();
                        switch (r.nextInt(7)) {
                          case 0 -> {
                            if (attached) target.start(); // often a dependency, started directly
                          }
                          case 1 -> target.stop();
                          case 2 -> {
                            if (attached) target.restart();
                          }
                          case 3 -> {
                            List<Service> deps = target.dependencies();
                            if (!deps.isEmpty()) target.removeDependency(deps.get(r.nextInt(deps.size())));
                          }
                          case 4 -> {
                            if (other != root && other.parent().isEmpty()) target.addRuntimeDependency(other);
                          }
                          case 5 -> {
                            if (other.parent().isPresent()) other.start(); // a dependency started directly
                          }
                          default -> target.crash(new RuntimeException("random crash, seed " + seed));
                        }
                      } catch (ServiceException | IllegalStateException | IllegalArgumentException expected) {
                        // a start racing a crash fails; a dependency cannot start while its parent
                        // stops; a removal races another; a re-added node would make a cycle or
                        // already has a parent again
                      } catch (Throwable t) {
                        unexpected.add(t);
                      }
                    }
                  }));
    }
    for (Thread t : callers) {
      assertThat(t.join(Duration.ofSeconds(60)))
          .as("seed %d: caller %s deadlocked; stack: %s", seed, t.getName(), List.of(t.getStackTrace()))
          .isTrue();
    }
    root.stop();
    List<Node> below = new ArrayList<>();
    dev.mode.graph.DependencyGraph.walk(root, (svc, depth) -> below.add((Node) svc));
    for (Node n : below) {
      State st = n.state();
      assertThat(st == State.INIT || st.isTerminal())
          .as("seed %d: after the root's stop, %s below it is %s", seed, n.path(), st)
          .isTrue();
    }
    for (Node n : nodes) n.stop();
    for (Node n : nodes) {
      assertThat(n.lastHeard).as("seed %d: the last state %s's listener heard", seed, n.path()).isEqualTo(n.state());
    }
    assertThat(unexpected).as("seed %d: unexpected exceptions", seed).isEmpty();
    assertThat(violations).as("seed %d: ordering violations", seed).isEmpty();
    for (Node n : nodes) {
      assertThat(n.state().isTerminal()).as("seed %d: %s ends stopped, is %s", seed, n.path(), n.state()).isTrue();
      assertThat(n.onStop.get())
          .as("seed %d: %s onStart=%d onStop=%d", seed, n.path(), n.onStart.get(), n.onStop.get())
          .isEqualTo(n.onStart.get());
      assertThat(n.onShutdown.get())
          .as("seed %d: %s onStart=%d onShutdown=%d", seed, n.path(), n.onStart.get(), n.onShutdown.get())
          .isEqualTo(n.onStart.get());
      assertThat(n.threads()).as("seed %d: %s still has threads", seed, n.path()).isEmpty();
    }
    int starts = nodes.stream().mapToInt(n -> n.onStart.get()).sum();
    assertThat(starts).as("seed %d: the random calls started services", seed).isGreaterThanOrEqualTo(size);
    assertThat(threads.get()).as("seed %d: timer bodies still running after every stop returned", seed).isZero();
  }
}
