package dev.mode.graph;

import dev.mode.Service;
import java.util.List;
import java.util.Optional;

/**
 * A service's place in the service tree: what {@link Service#beacon()} returns. A view, not a copy:
 * it always answers for the tree as it is now. Thread-safe.
 */
public interface Node {

  /** The node of {@code service}. */
  static Node of(Service service) {
    return new ServiceNode(service);
  }

  /** The service at this node. */
  Service service();

  /** The path from the root by short label, e.g. {@code "Worker/App/Cache"}. */
  String path();

  /** 1 for a root, 2 for its dependencies, and so on. */
  int depth();

  /** The parent's node; empty for a root. */
  Optional<Node> parent();

  /** The root's node (this node for a root). */
  Node root();

  /** The dependencies' nodes, in insertion order: a snapshot. */
  List<Node> children();
}
