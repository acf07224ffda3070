package dev.mode.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mode.Service;
import dev.mode.State;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** SPEC §1 Node and DependencyGraph. */
class GraphTest {
  static final List<Service> becameRunning = new CopyOnWriteArrayList<>();

  static class Named extends Service {
    private final String name;

    Named(String name) {
      this.name = name;
    }

    @Override
    public String label() {
      return name;
    }

    @Override
    protected void onStarted() {
      becameRunning.add(this);
    }
  }

  final Named worker = new Named("Worker");
  final Named app = worker.addDependency(new Named("App"));
  final Named web = app.addDependency(new Named("Webserver"));
  final Named cache = app.addDependency(new Named("Cache"));
  final Named metrics = worker.addDependency(new Named("Metrics"));

  @Test
  void aNodeKnowsItsPathDepthParentRootAndChildren() {
    Node n = cache.beacon();
    assertThat(n.service()).isSameAs(cache);
    assertThat(n.path()).isEqualTo("Worker/App/Cache");
    assertThat(n.depth()).isEqualTo(3);
    assertThat(n.parent()).contains(app.beacon());
    assertThat(n.root()).isEqualTo(worker.beacon());
    assertThat(worker.beacon().root()).isEqualTo(worker.beacon());
    assertThat(worker.beacon().depth()).isEqualTo(1);
    assertThat(worker.beacon().parent()).isEmpty();
    assertThat(app.beacon().children()).containsExactly(web.beacon(), cache.beacon());
  }

  @Test
  void walkVisitsTheRootFirstThenEachServiceBeforeItsDependenciesWithItsDepth() {
    List<String> seen = new ArrayList<>();
    DependencyGraph.walk(worker, (s, depth) -> seen.add(depth + ":" + s.label()));
    assertThat(seen).containsExactly("1:Worker", "2:App", "3:Webserver", "3:Cache", "2:Metrics");
  }

  @Test
  void topologicalOrderPutsEveryServiceAfterItsDependenciesAsTheyBecomeRunning() {
    List<Service> order = DependencyGraph.of(worker).topologicalOrder();
    assertThat(order).containsExactly(web, cache, app, metrics, worker);
    becameRunning.clear();
    worker.start();
    assertThat(becameRunning).containsExactlyElementsOf(order);
    worker.stop();
  }

  @Test
  void topologicalOrderHandlesADeepChainWithoutRecursion() {
    Named root = new Named("R0");
    Named at = root;
    List<Service> chain = new ArrayList<>();
    chain.add(root);
    for (int i = 1; i < 20_000; i++) {
      at = at.addDependency(new Named("R" + i));
      chain.add(at);
    }
    List<Service> order = DependencyGraph.of(root).topologicalOrder();
    assertThat(order).hasSize(20_000);
    assertThat(order.get(0)).isSameAs(chain.get(19_999));
    assertThat(order.get(19_999)).isSameAs(root);
  }

  @Test
  void dotOutputHasModesLookAndAnEdgePerDependency() {
    String dot = DependencyGraph.of(worker).toDot();
    assertThat(dot)
        .startsWith("digraph {")
        .contains("bgcolor=\"mintcream\"")
        .contains("shape=\"box\"")
        .contains("fillcolor=\"palegreen\"")
        .contains("n0 [label=\"Worker\"]")
        .contains("n1 [label=\"App\"]")
        .contains("n0 -> n1;")
        .contains("n1 -> n2;")
        .contains("n1 -> n3;")
        .contains("n0 -> n4;");
    assertThat(dot.lines().filter(l -> l.contains("->"))).hasSize(4);
  }

  @Test
  void dotMarksCrashedServices() {
    worker.start();
    cache.crash(new RuntimeException("x"));
    assertThat(DependencyGraph.of(app).toDot()).contains("[label=\"Cache\", fillcolor=\"tomato\"]");
    worker.stop();
    assertThat(worker.state()).isEqualTo(State.CRASHED);
  }

  @Test
  void mermaidOutputIsAFlowchartWithTheSameEdges() {
    String mmd = DependencyGraph.of(worker).toMermaid();
    assertThat(mmd.lines())
        .containsExactly(
            "flowchart TD",
            "  n0[\"Worker\"]",
            "  n1[\"App\"]",
            "  n2[\"Webserver\"]",
            "  n3[\"Cache\"]",
            "  n4[\"Metrics\"]",
            "  n0 --> n1",
            "  n0 --> n4",
            "  n1 --> n2",
            "  n1 --> n3");
  }
}
