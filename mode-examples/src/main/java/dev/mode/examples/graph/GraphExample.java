package dev.mode.examples.graph;

import dev.mode.Service;
import dev.mode.graph.DependencyGraph;
import dev.mode.graph.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** docs/graph.md: walking the tree, and drawing it. */
public final class GraphExample {
  private GraphExample() {}

  static class Webserver extends Service {}

  static class Websockets extends Service {}

  static class UserCache extends Service {}

  static class App extends Service {
    final Webserver web = addDependency(new Webserver());
    final Websockets ws = addDependency(new Websockets());
    final UserCache cache = addDependency(new UserCache());
  }

  public static void main(String[] args) throws IOException {
    App app = new App();
    Node cache = app.cache.beacon();
    System.out.println(cache.path() + " depth=" + cache.depth() + " root=" + cache.root().path());

    DependencyGraph graph = DependencyGraph.of(app);
    System.out.println("start order: " + graph.topologicalOrder().stream().map(Service::label).toList());
    Path dot = Files.writeString(Path.of(args.length > 0 ? args[0] : "app.dot"), graph.toDot());
    System.out.println("wrote " + dot + "; render with: dot -Tsvg " + dot + " -o app.svg");
    System.out.println(graph.toMermaid());
  }
}
