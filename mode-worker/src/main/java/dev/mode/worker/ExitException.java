package dev.mode.worker;

/**
 * A crash reason that carries the exit code the {@link Worker} should end with. Thrown from a task,
 * timer or callback (or passed to {@link dev.mode.Service#crash}), it crashes the service as any
 * exception does; when that crash reaches the Worker, the Worker stops everything and exits with
 * {@link #code()} instead of 1. To end with a code without a crash, use {@link Worker#exit(int)}.
 */
public class ExitException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int code;

  /**
   * @param code the exit code, 0 to 255
   * @param message why the program ends
   * @throws IllegalArgumentException if the code is outside 0..255
   */
  public ExitException(int code, String message) {
    super(message);
    this.code = Worker.checkExitCode(code);
  }

  /** The exit code to end the process with. */
  public int code() {
    return code;
  }
}
