package dev.mode.examples.signal;

import dev.mode.Service;
import dev.mode.signal.BoundSignal;
import dev.mode.signal.Signal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/** The bound-signal example of docs/signals.md: one observer of many caches, told apart by sender. */
public final class BoundSignalExample {
  private BoundSignalExample() {}

  /** A cache that announces each eviction through its own view of the shared signal. */
  static final class Cache extends Service {
    static final Signal<String> EVICTED = new Signal<>("evicted"); // every cache
    final BoundSignal<Cache, String> evicted = EVICTED.bindTo(this); // this cache
    private final String name;
    private final Map<String, String> entries = new LinkedHashMap<>();
    private final int capacity;

    Cache(String name, int capacity) {
      this.name = name;
      this.capacity = capacity;
    }

    @Override
    public String label() {
      return name;
    }

    void put(String key, String value) {
      entries.put(key, value);
      if (entries.size() > capacity) {
        String oldest = entries.keySet().iterator().next();
        entries.remove(oldest);
        evicted.send(oldest); // the receivers get this cache and the key
      }
    }
  }

  /** Counts evictions per cache: one receiver connected to every cache. */
  static final class Metrics extends Service {
    final Map<String, Integer> evictions = new ConcurrentHashMap<>();
    final BiConsumer<Cache, String> onEvicted = (cache, key) -> evictions.merge(cache.label(), 1, Integer::sum);
  }

  public static void main(String[] args) {
    Cache users = new Cache("users", 2);
    Cache orders = new Cache("orders", 1);
    Metrics metrics = new Metrics();
    users.evicted.connect(metrics.onEvicted);
    orders.evicted.connect(metrics.onEvicted);
    Cache.EVICTED.connect(key -> System.out.println("audit: evicted " + key)); // any cache, value only

    for (String k : new String[] {"u1", "u2", "u3", "u4"}) users.put(k, k.toUpperCase());
    for (String k : new String[] {"o1", "o2"}) orders.put(k, k.toUpperCase());

    System.out.println("evictions per cache: " + new TreeMap<>(metrics.evictions));
    orders.evicted.disconnect(metrics.onEvicted); // stop counting orders only
    orders.put("o3", "O3");
    System.out.println("after disconnect: " + new TreeMap<>(metrics.evictions));
  }
}
