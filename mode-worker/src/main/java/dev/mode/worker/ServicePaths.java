package dev.mode.worker;

import dev.mode.Service;
import dev.mode.graph.DependencyGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds services by path in a tree, the way the console and the admin read the paths a person types:
 * {@code Worker/App/Cache} and {@code App/Cache} name the same service under a root {@code Worker}
 * (the root's prefix may be left out), and a path that names nothing gets the nearest path as a
 * "did you mean". Stateless; every call reads the tree afresh with {@link DependencyGraph#walk}, on
 * the calling thread, taking no lock.
 *
 * <pre>{@code
 * Service cache = ServicePaths.find(worker, "App/Cache")
 *     .orElseThrow(() -> new IllegalArgumentException("did you mean " + ServicePaths.nearest(worker, "App/Cahce")));
 * }</pre>
 */
public final class ServicePaths {
  private ServicePaths() {}

  /**
   * The first service, in pre-order, under {@code root} whose path is {@code path}, or {@code root}'s
   * path followed by {@code "/"} and {@code path}. Exact and case-sensitive; leading and trailing
   * slashes are ignored.
   */
  public static Optional<Service> find(Service root, String path) {
    Objects.requireNonNull(root, "root");
    String full = qualify(root, Objects.requireNonNull(path, "path"));
    Service[] found = new Service[1];
    DependencyGraph.walk(root, (s, depth) -> {
      if (found[0] == null && s.path().equals(full)) found[0] = s;
    });
    return Optional.ofNullable(found[0]);
  }

  /** True if {@code service} is {@code ancestor} or lies below it in the tree (at this moment). */
  public static boolean isWithin(Service service, Service ancestor) {
    for (Service x = service; x != null; x = x.parent().orElse(null)) if (x == ancestor) return true;
    return false;
  }

  /** {@code path} with the root's prefix, as every path under {@code root} starts. */
  static String qualify(Service root, String path) {
    String p = strip(path);
    String prefix = root.path();
    return p.equals(prefix) || p.startsWith(prefix + "/") ? p : p.isEmpty() ? prefix : prefix + "/" + p;
  }

  private static String strip(String path) {
    int from = 0;
    int to = path.length();
    while (from < to && path.charAt(from) == '/') from++;
    while (to > from && path.charAt(to - 1) == '/') to--;
    return path.substring(from, to);
  }

  /** The path under {@code root} nearest to {@code path} by edit distance (ties: the first in pre-order). */
  public static String nearest(Service root, String path) {
    Objects.requireNonNull(root, "root");
    String full = qualify(root, Objects.requireNonNull(path, "path"));
    List<String> paths = new ArrayList<>();
    DependencyGraph.walk(root, (s, depth) -> paths.add(s.path()));
    return nearest(full, paths);
  }

  /**
   * The word of {@code words} nearest to {@code word} by edit distance, ignoring case (ties: the
   * first), or null if {@code words} is empty.
   */
  public static String nearest(String word, Iterable<String> words) {
    Objects.requireNonNull(word, "word");
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String w : words) {
      int d = distance(word, w, bestDistance);
      if (d < bestDistance) {
        bestDistance = d;
        best = w;
      }
    }
    return best;
  }

  /**
   * Levenshtein distance between {@code a} and {@code b}, ignoring case; stops early and answers
   * {@code limit} once the distance cannot be below it.
   */
  static int distance(String a, String b, int limit) {
    if (Math.abs(a.length() - b.length()) >= limit) return limit;
    String x = a.toLowerCase(Locale.ROOT);
    String y = b.toLowerCase(Locale.ROOT);
    int[] prev = new int[y.length() + 1];
    int[] cur = new int[y.length() + 1];
    for (int j = 0; j <= y.length(); j++) prev[j] = j;
    for (int i = 1; i <= x.length(); i++) {
      cur[0] = i;
      int rowMin = i;
      char cx = x.charAt(i - 1);
      for (int j = 1; j <= y.length(); j++) {
        int cost = cx == y.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
        rowMin = Math.min(rowMin, cur[j]);
      }
      if (rowMin >= limit) return limit;
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[y.length()];
  }
}
