package dev.mode.supervisor;

import dev.mode.Service;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A fixture service that records its callbacks as "Name.callback" and can be told to fail starts. */
class Probe extends Service {
  final String name;
  final List<String> trace;
  /** The next this-many starts throw from onStart. */
  final AtomicInteger failingStarts = new AtomicInteger();

  Probe(String name, List<String> trace) {
    this.name = name;
    this.trace = trace;
  }

  Probe(String name) {
    this(name, new CopyOnWriteArrayList<>());
  }

  @Override
  public String label() {
    return name;
  }

  @Override
  protected void onStart() throws Exception {
    trace.add(name + ".onStart");
    if (failingStarts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new IllegalStateException(name + " cannot start");
    }
  }

  @Override
  protected void onStarted() {
    trace.add(name + ".onStarted");
  }

  @Override
  protected void onStop() {
    trace.add(name + ".onStop");
  }

  @Override
  protected void onShutdown() {
    trace.add(name + ".onShutdown");
  }

  @Override
  protected void onRestart() {
    trace.add(name + ".onRestart");
  }
}
