package dev.mode;

/** A fixture service that records every callback into a {@link Trace} as "Label.callback". */
class TracingService extends Service {
  final Trace trace;
  private final String name;

  TracingService(String name, Trace trace) {
    this.name = name;
    this.trace = trace;
  }

  @Override
  public String label() {
    return name;
  }

  @Override
  protected Iterable<? extends Service> onInitDependencies() {
    trace.add(name + ".onInitDependencies");
    return java.util.List.of();
  }

  @Override
  protected void onFirstStart() throws Exception {
    trace.add(name + ".onFirstStart");
  }

  @Override
  protected void onStart() throws Exception {
    trace.add(name + ".onStart");
  }

  @Override
  protected void onStarted() throws Exception {
    trace.add(name + ".onStarted");
  }

  @Override
  protected void onStop() throws Exception {
    trace.add(name + ".onStop");
  }

  @Override
  protected void onShutdown() throws Exception {
    trace.add(name + ".onShutdown");
  }

  @Override
  protected void onRestart() throws Exception {
    trace.add(name + ".onRestart");
  }
}
