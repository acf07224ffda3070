package dev.mode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mode.Fixtures.NoOpService;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SPEC §1 dependencies. */
class DependencyTest {
  final Trace trace = new Trace();

  @Test
  void addingTheSameDependencyTwiceIsANoOpAndItStartsOnce() {
    TracingService a = new TracingService("A", trace);
    TracingService b = new TracingService("B", trace);
    assertThat(a.addDependency(b)).isSameAs(b);
    a.addDependency(b);
    assertThat(a.dependencies()).containsExactly(b);
    a.start();
    assertThat(trace.count("B.onStart")).isEqualTo(1);
    a.stop();
  }

  @Test
  void aCycleIsRejectedWithAMessageThatNamesIt() {
    NoOpService a = new NoOpService("A");
    NoOpService b = a.addDependency(new NoOpService("B"));
    NoOpService c = b.addDependency(new NoOpService("C"));
    assertThatThrownBy(() -> c.addDependency(a))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("makes a cycle A -> B -> C -> A");
    assertThatThrownBy(() -> a.addDependency(a))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("A -> A");
  }

  @Test
  void aSecondParentIsRejectedNamingBoth() {
    NoOpService one = new NoOpService("One");
    NoOpService two = new NoOpService("Two");
    NoOpService child = one.addDependency(new NoOpService("Child"));
    assertThatThrownBy(() -> two.addDependency(child))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Cannot add One/Child as a dependency of Two: it is already a dependency of One");
  }

  @Test
  void addRuntimeDependencyStartsTheChildNowWhenRunning() {
    TracingService a = new TracingService("A", trace);
    a.start();
    TracingService late = a.addRuntimeDependency(new TracingService("Late", trace));
    assertThat(late.state()).isEqualTo(State.RUNNING);
    NoOpService notStarted = new NoOpService("Plain");
    a.addDependency(notStarted);
    assertThat(notStarted.state()).as("addDependency does not start").isEqualTo(State.INIT);
    a.stop();
    assertThat(late.state()).isEqualTo(State.SHUTDOWN);
  }

  @Test
  void addRuntimeDependencyBeforeStartJustAdds() {
    TracingService a = new TracingService("A", trace);
    TracingService b = a.addRuntimeDependency(new TracingService("B", trace));
    assertThat(b.state()).isEqualTo(State.INIT);
    a.start();
    assertThat(b.state()).isEqualTo(State.RUNNING);
    a.stop();
  }

  @Test
  void removeDependencyStopsAndDetachesTheChild() {
    TracingService a = new TracingService("A", trace);
    TracingService b = a.addDependency(new TracingService("B", trace));
    a.start();
    a.removeDependency(b);
    assertThat(b.state()).isEqualTo(State.SHUTDOWN);
    assertThat(a.dependencies()).isEmpty();
    assertThat(b.parent()).isEmpty();
    assertThat(b.path()).isEqualTo("B");
    assertThatThrownBy(() -> a.removeDependency(b))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a dependency of A");
    a.stop();
  }

  @Test
  void onInitDependenciesIsCalledOnceAndItsServicesAreAdded() {
    NoOpService made = new NoOpService("Made");
    int[] calls = new int[1];
    NoOpService a =
        new NoOpService("A") {
          @Override
          protected Iterable<? extends Service> onInitDependencies() {
            calls[0]++;
            return List.of(made);
          }
        };
    a.start();
    assertThat(a.dependencies()).containsExactly(made);
    assertThat(made.state()).isEqualTo(State.RUNNING);
    a.restart();
    assertThat(calls[0]).isEqualTo(1);
    assertThat(a.dependencies()).containsExactly(made);
    a.stop();
  }

  @Test
  void listenersAboveHearDependenciesAddedAndRemovedAnywhereBelow() {
    List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    NoOpService root = new NoOpService("Root");
    NoOpService mid = root.addDependency(new NoOpService("Mid"));
    root.addListener(
        new Service.Listener() {
          @Override
          public void dependencyAdded(Service parent, Service dependency) {
            heard.add("added " + dependency.path());
          }

          @Override
          public void dependencyRemoved(Service parent, Service dependency) {
            heard.add("removed " + dependency.label() + " from " + parent.path() + ", now " + dependency.state());
          }
        });
    NoOpService leaf = mid.addDependency(new NoOpService("Leaf"));
    mid.addDependency(leaf); // already there: no event
    root.start();
    mid.removeDependency(leaf);
    assertThat(heard).containsExactly("added Root/Mid/Leaf", "removed Leaf from Root/Mid, now SHUTDOWN");
    root.stop();
  }

  @Test
  void dependenciesIsASnapshot() {
    NoOpService a = new NoOpService("A");
    List<Service> before = a.dependencies();
    a.addDependency(new NoOpService("B"));
    assertThat(before).isEmpty();
    assertThatThrownBy(() -> a.dependencies().add(new NoOpService()))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
