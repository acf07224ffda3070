package dev.mode.admin;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.mode.Service;
import dev.mode.State;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the admin heard since it started: the last {@link #CAPACITY} notable lifecycle events (crashes,
 * restarts, stops, starts of a service that had run before) for {@code GET /events} and the dashboard,
 * and a crash count per service. A {@link Service.Listener}: its methods are quick and never block.
 */
final class LifecycleLog implements Service.Listener {
  static final int CAPACITY = 200;

  /** One event: {@code kind} is {@code crash}, {@code restart}, {@code stop} or {@code start}. */
  record Event(long seq, Instant time, String path, String kind, String detail) {}

  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Event> events = new ArrayDeque<>(); // guarded by lock
  private long seq; // guarded by lock
  private final Map<Service, AtomicLong> crashes = new ConcurrentHashMap<>();

  @Override
  public void stateChanged(Service service, State from, State to) {
    if (to == State.INIT && from.isTerminal()) {
      add(service, "restart", "restart #" + service.restartCount() + " (was " + from + ")");
    } else if (to == State.SHUTDOWN && from == State.STOPPING) {
      add(service, "stop", "stopped");
    } else if (to == State.RUNNING && service.restartCount() > 0) {
      add(service, "start", "running again");
    }
  }

  @Override
  public void crashed(Service service, Throwable reason) {
    crashes.computeIfAbsent(service, s -> new AtomicLong()).incrementAndGet();
    add(service, "crash", String.valueOf(reason));
  }

  /** Crashes of {@code service} heard since the admin started. */
  long crashes(Service service) {
    AtomicLong n = crashes.get(service);
    return n == null ? 0 : n.get();
  }

  /** The retained events, oldest first: a snapshot. */
  List<Event> events() {
    lock.lock();
    try {
      return List.copyOf(new ArrayList<>(events));
    } finally {
      lock.unlock();
    }
  }

  private void add(Service service, String kind, String detail) {
    String path = service.path();
    lock.lock();
    try {
      if (events.size() == CAPACITY) events.removeFirst();
      events.addLast(new Event(++seq, Instant.now(), path, kind, detail));
    } finally {
      lock.unlock();
    }
  }

  void writeJson(JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeArrayFieldStart("events");
    for (Event e : events()) {
      g.writeStartObject();
      g.writeNumberField("seq", e.seq());
      g.writeStringField("time", e.time().toString());
      g.writeStringField("path", e.path());
      g.writeStringField("kind", e.kind());
      g.writeStringField("detail", e.detail());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }
}
