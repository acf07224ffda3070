package dev.mode.bench;

import dev.mode.Service;
import java.util.function.IntFunction;

/** Builds balanced service trees: service i (breadth-first) is a dependency of service (i - 1) / fanOut. */
final class ServiceTree {
  static final int FAN_OUT = 10;

  private ServiceTree() {}

  /** A tree of {@code n} services made by {@code make}; returns the root. */
  static Service build(int n, IntFunction<? extends Service> make) {
    if (n < 1) throw new IllegalArgumentException("A tree needs at least one service, got n=" + n);
    Service[] all = new Service[n];
    all[0] = make.apply(0);
    for (int i = 1; i < n; i++) {
      all[i] = make.apply(i);
      all[(i - 1) / FAN_OUT].addDependency(all[i]);
    }
    return all[0];
  }

  /** Number of services in the tree under (and including) {@code root}. */
  static int count(Service root) {
    int c = 1;
    for (Service d : root.dependencies()) c += count(d);
    return c;
  }
}
