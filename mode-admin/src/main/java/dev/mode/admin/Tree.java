package dev.mode.admin;

import dev.mode.Service;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Walks and searches the service tree under a root. Stateless; every call reads the tree afresh. */
final class Tree {
  private Tree() {}

  /** One service of the tree and its depth (the root is at depth 1). */
  record Entry(Service service, int depth) {}

  /** Every service under {@code root} (itself first), each before its dependencies (pre-order). */
  static List<Entry> walk(Service root) {
    List<Entry> out = new ArrayList<>();
    Set<Service> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Entry> stack = new ArrayDeque<>();
    stack.push(new Entry(root, 1));
    while (!stack.isEmpty()) {
      Entry e = stack.pop();
      if (!seen.add(e.service())) continue; // the tree has no cycles; never loop all the same
      out.add(e);
      List<Service> deps = e.service().dependencies();
      for (int i = deps.size() - 1; i >= 0; i--) stack.push(new Entry(deps.get(i), e.depth() + 1));
    }
    return out;
  }

  /** The first service in pre-order whose path is {@code path}. */
  static Optional<Service> find(Service root, String path) {
    for (Entry e : walk(root)) if (e.service().path().equals(path)) return Optional.of(e.service());
    return Optional.empty();
  }

  /** The path of the tree closest to {@code path} by edit distance (ties: the first in pre-order). */
  static String closest(Service root, String path) {
    String best = root.path();
    int bestDistance = Integer.MAX_VALUE;
    for (Entry e : walk(root)) {
      String p = e.service().path();
      int d = distance(path, p, bestDistance);
      if (d < bestDistance) {
        bestDistance = d;
        best = p;
      }
    }
    return best;
  }

  /** True if {@code s} is {@code ancestor} or lies below it. */
  static boolean isWithin(Service s, Service ancestor) {
    for (Service x = s; x != null; x = x.parent().orElse(null)) if (x == ancestor) return true;
    return false;
  }

  // Levenshtein distance, case-insensitive; gives up (returns limit) once every cell of a row is >= limit
  static int distance(String a, String b, int limit) {
    if (Math.abs(a.length() - b.length()) >= limit) return limit;
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      int rowMin = cur[0];
      char ca = Character.toLowerCase(a.charAt(i - 1));
      for (int j = 1; j <= b.length(); j++) {
        int cost = ca == Character.toLowerCase(b.charAt(j - 1)) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
        rowMin = Math.min(rowMin, cur[j]);
      }
      if (rowMin >= limit) return limit;
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
