package dev.mode;

/**
 * The service {@link Service#of} makes: its body runs as its one task at every start, and its stop
 * interrupts it (Mode's {@code from_awaitable}).
 */
final class FunctionService extends Service {
  private final String name;
  private final ThrowingRunnable body;

  FunctionService(String name, ThrowingRunnable body) {
    this.name = name;
    this.body = body;
  }

  @Override
  public String label() {
    return name;
  }

  // from onStarted, so the body begins once the dependencies run, like a @Task, and under its own name
  @Override
  protected void onStarted() {
    addTask(name, body);
  }
}
