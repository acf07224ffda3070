package dev.mode;

import dev.mode.graph.DependencyGraph;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The service tree's links: the only writer of {@code Service.parent}, {@code Service.children} and
 * the cached {@code Service.path}. Edits happen under one global lock, so a cycle check sees a
 * stable tree; reads are lock-free (the fields are volatile, the children array is replaced, never
 * changed).
 */
final class ServiceTree {
  // tree edits (parent and children) happen under this one lock, so cycle checks see a stable tree
  private static final ReentrantLock STRUCTURE = new ReentrantLock();
  private static final Service[] NO_SERVICES = {};

  private ServiceTree() {}

  static Service[] none() {
    return NO_SERVICES;
  }

  /** Makes {@code child} a dependency of {@code parent}; false if it already was. */
  static boolean attach(Service parent, Service child) {
    STRUCTURE.lock();
    try {
      if (child == parent) {
        String l = parent.label();
        throw new IllegalArgumentException(
            "Cannot add " + l + " as a dependency of itself: " + l + " -> " + l);
      }
      Service current = child.parent;
      if (current == parent) return false;
      if (current != null) {
        throw new IllegalStateException(
            "Cannot add " + child.path() + " as a dependency of " + parent.path()
                + ": it is already a dependency of " + current.path() + " (remove it there first)");
      }
      // only a child with dependencies of its own can be an ancestor of the parent
      List<Service> up = new ArrayList<>();
      for (Service a = child.children.length == 0 ? null : parent; a != null; a = a.parent) {
        up.add(a);
        if (a == child) {
          StringBuilder cycle = new StringBuilder();
          for (int i = up.size() - 1; i >= 0; i--) cycle.append(up.get(i).label()).append(" -> ");
          cycle.append(child.label());
          throw new IllegalArgumentException(
              "Cannot add " + child.label() + " as a dependency of " + parent.label()
                  + ": that makes a cycle " + cycle);
        }
      }
      Service[] old = parent.children;
      Service[] grown = Arrays.copyOf(old, old.length + 1);
      grown[old.length] = child;
      child.parent = parent;
      parent.children = grown;
      forgetPaths(child);
      return true;
    } finally {
      STRUCTURE.unlock();
    }
  }

  /** Detaches {@code child} from {@code parent}; false if it was not (or no longer) its dependency. */
  static boolean detach(Service parent, Service child) {
    STRUCTURE.lock();
    try {
      if (child.parent != parent) return false;
      Service[] old = parent.children;
      List<Service> kept = new ArrayList<>(old.length);
      for (Service s : old) if (s != child) kept.add(s);
      parent.children = kept.toArray(NO_SERVICES);
      child.parent = null;
      forgetPaths(child);
      return true;
    } finally {
      STRUCTURE.unlock();
    }
  }

  /** The path from the root by short label, cached until the tree above changes. */
  static String path(Service s) {
    String p = s.path;
    if (p == null) {
      Service up = s.parent;
      p = up == null ? s.shortLabel() : path(up) + "/" + s.shortLabel();
      s.path = p;
    }
    return p;
  }

  private static void forgetPaths(Service s) {
    DependencyGraph.walk(s, (x, depth) -> x.path = null);
  }

  /** True if the current thread runs a task or timer of {@code s} or of a service below it. */
  static boolean ownedBySubtree(Service s) {
    for (Service c = Callback.current(); c != null; c = c.parent) if (c == s) return true;
    return false;
  }
}
