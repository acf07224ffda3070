package dev.mode.graph;

import dev.mode.Service;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** {@link Node} over a live service; equal when the services are the same object. */
final class ServiceNode implements Node {
  private final Service service;

  ServiceNode(Service service) {
    this.service = Objects.requireNonNull(service, "service");
  }

  @Override
  public Service service() {
    return service;
  }

  @Override
  public String path() {
    return service.path();
  }

  @Override
  public int depth() {
    int d = 1;
    for (Optional<Service> p = service.parent(); p.isPresent(); p = p.get().parent()) d++;
    return d;
  }

  @Override
  public Optional<Node> parent() {
    return service.parent().map(ServiceNode::new);
  }

  @Override
  public Node root() {
    Service s = service;
    for (Optional<Service> p = s.parent(); p.isPresent(); p = p.get().parent()) s = p.get();
    return s == service ? this : new ServiceNode(s);
  }

  @Override
  public List<Node> children() {
    return service.dependencies().stream().map(s -> (Node) new ServiceNode(s)).toList();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServiceNode n && n.service == service;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(service);
  }

  @Override
  public String toString() {
    return "Node[" + path() + "]";
  }
}
