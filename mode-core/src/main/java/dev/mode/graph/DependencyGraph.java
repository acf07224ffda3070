package dev.mode.graph;

import dev.mode.Service;
import dev.mode.State;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ObjIntConsumer;

/**
 * The service tree under one service, captured when built: draw it ({@link #toDot()} in Python
 * Mode's look, {@link #toMermaid()}) or order it ({@link #topologicalOrder()}). Immutable and
 * thread-safe; build a new one to see later changes.
 *
 * <pre>{@code
 * Files.writeString(Path.of("app.dot"), DependencyGraph.of(app).toDot());
 * // dot -Tsvg app.dot -o app.svg
 * }</pre>
 */
public final class DependencyGraph {
  private final Service root;
  private final List<Service> preorder; // root first, each service before its dependencies
  private final Map<Service, List<Service>> edges; // parent -> dependencies, in insertion order

  private DependencyGraph(Service root) {
    this.root = root;
    List<Service> order = new ArrayList<>();
    Map<Service, List<Service>> e = new IdentityHashMap<>();
    Deque<Service> stack = new ArrayDeque<>();
    stack.push(root);
    while (!stack.isEmpty()) {
      Service s = stack.pop();
      if (e.containsKey(s)) continue; // defensive: the tree has no cycles, but never loop
      List<Service> deps = s.dependencies();
      e.put(s, deps);
      order.add(s);
      for (int i = deps.size() - 1; i >= 0; i--) stack.push(deps.get(i));
    }
    this.preorder = List.copyOf(order);
    this.edges = Collections.unmodifiableMap(e);
  }

  /**
   * Visits every service in the tree under {@code root} (itself included) in pre-order: the root
   * first at depth 1, each service before its dependencies, dependencies in insertion order. The one
   * tree walk every module uses; it reads {@link Service#dependencies()} snapshots as it goes, so a
   * tree changing meanwhile is seen partly old, partly new, and never loops. Iterative: deep trees
   * cannot overflow the stack. Runs on the calling thread; takes no lock.
   *
   * <pre>{@code
   * DependencyGraph.walk(app, (s, depth) -> System.out.println("  ".repeat(depth - 1) + s.label()));
   * }</pre>
   *
   * @param visitor called with each service and its depth below {@code root} (root = 1)
   */
  public static void walk(Service root, ObjIntConsumer<Service> visitor) {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(visitor, "visitor");
    Deque<Service> stack = new ArrayDeque<>();
    Deque<Integer> depths = new ArrayDeque<>();
    Map<Service, Boolean> seen = new IdentityHashMap<>();
    stack.push(root);
    depths.push(1);
    while (!stack.isEmpty()) {
      Service s = stack.pop();
      int depth = depths.pop();
      if (seen.put(s, Boolean.TRUE) != null) continue; // defensive: the tree has no cycles
      visitor.accept(s, depth);
      List<Service> deps = s.dependencies();
      for (int i = deps.size() - 1; i >= 0; i--) {
        stack.push(deps.get(i));
        depths.push(depth + 1);
      }
    }
  }

  /** The whole tree under {@code service} (itself included). */
  public static DependencyGraph of(Service service) {
    return new DependencyGraph(Objects.requireNonNull(service, "service"));
  }

  /** The service the graph was built from. */
  public Service root() {
    return root;
  }

  /** Every service in the graph, the root first, each before its dependencies (pre-order). */
  public List<Service> services() {
    return preorder;
  }

  /**
   * Every service after all of its dependencies (children before parents): the order in which they
   * become RUNNING, and the reverse of the order in which they finish stopping.
   */
  public List<Service> topologicalOrder() {
    List<Service> out = new ArrayList<>(preorder.size());
    // iterative post-order, so deep trees cannot overflow the stack
    Deque<Service> stack = new ArrayDeque<>();
    Deque<Integer> next = new ArrayDeque<>();
    stack.push(root);
    next.push(0);
    while (!stack.isEmpty()) {
      Service s = stack.peek();
      int i = next.pop();
      List<Service> deps = edges.getOrDefault(s, List.of());
      if (i < deps.size()) {
        next.push(i + 1);
        stack.push(deps.get(i));
        next.push(0);
      } else {
        stack.pop();
        out.add(s);
      }
    }
    return List.copyOf(out);
  }

  /**
   * Graphviz DOT in Python Mode's look: boxes filled palegreen on a mintcream background, an edge
   * from each service to each of its dependencies; crashed services are filled tomato and stopped
   * ones lightgrey, so a drawing shows the state at capture. Render with {@code dot -Tsvg}.
   */
  public String toDot() {
    StringBuilder sb = new StringBuilder();
    sb.append("digraph {\n");
    sb.append("  graph [bgcolor=\"mintcream\", rankdir=\"TB\", fontname=\"Helvetica\"];\n");
    sb.append("  node [shape=\"box\", style=\"filled\", fillcolor=\"palegreen\", color=\"darkseagreen4\",")
        .append(" fontname=\"Helvetica\", fontsize=\"10\"];\n");
    sb.append("  edge [color=\"darkseagreen4\", arrowsize=\"0.7\"];\n");
    Map<Service, String> ids = ids();
    for (Service s : preorder) {
      sb.append("  ").append(ids.get(s)).append(" [label=\"").append(escape(s.label())).append('"');
      State st = s.state();
      if (st == State.CRASHED) sb.append(", fillcolor=\"tomato\"");
      else if (st == State.SHUTDOWN || st == State.STOPPING) sb.append(", fillcolor=\"lightgrey\"");
      sb.append("];\n");
    }
    for (Service s : preorder) {
      for (Service d : edges.get(s)) {
        sb.append("  ").append(ids.get(s)).append(" -> ").append(ids.get(d)).append(";\n");
      }
    }
    return sb.append("}\n").toString();
  }

  /** A Mermaid flowchart (top-down), for Markdown renderers that draw Mermaid. */
  public String toMermaid() {
    StringBuilder sb = new StringBuilder("flowchart TD\n");
    Map<Service, String> ids = ids();
    for (Service s : preorder) {
      sb.append("  ").append(ids.get(s)).append("[\"").append(escapeMermaid(s.label())).append("\"]\n");
    }
    for (Service s : preorder) {
      for (Service d : edges.get(s)) {
        sb.append("  ").append(ids.get(s)).append(" --> ").append(ids.get(d)).append('\n');
      }
    }
    return sb.toString();
  }

  private Map<Service, String> ids() {
    Map<Service, String> ids = new IdentityHashMap<>();
    for (int i = 0; i < preorder.size(); i++) ids.put(preorder.get(i), "n" + i);
    return ids;
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static String escapeMermaid(String s) {
    return s.replace("\"", "#quot;");
  }
}
