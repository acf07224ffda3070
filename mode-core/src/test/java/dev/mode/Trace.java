package dev.mode;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A shared, thread-safe record of callback events ("A.onStart"), for order assertions. */
final class Trace {
  private final List<String> events = new CopyOnWriteArrayList<>();

  void add(String event) {
    events.add(event);
  }

  List<String> events() {
    return List.copyOf(events);
  }

  List<String> drain() {
    List<String> out = List.copyOf(events);
    events.clear();
    return out;
  }

  long count(String event) {
    return events.stream().filter(event::equals).count();
  }
}
