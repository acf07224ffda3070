package dev.mode.signal;

import java.util.List;

/**
 * Thrown by {@link Signal#send} after every receiver ran, if one or more of them failed: the first
 * failure is the {@linkplain #getCause() cause}, the others are {@linkplain #getSuppressed()
 * suppressed}, in connection order.
 */
public class SignalException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String signalName;
  private final int failures;

  /**
   * @param signalName the signal's name
   * @param failures the receivers' failures, in connection order; at least one
   */
  // addSuppressed is Throwable's final method and reads no subclass state: the escape is harmless
  @SuppressWarnings("this-escape")
  public SignalException(String signalName, List<? extends Throwable> failures) {
    super(
        failures.size()
            + (failures.size() == 1 ? " receiver" : " receivers")
            + " of signal "
            + signalName
            + " failed; first: "
            + failures.get(0),
        failures.get(0));
    this.signalName = signalName;
    this.failures = failures.size();
    for (int i = 1; i < failures.size(); i++) addSuppressed(failures.get(i));
  }

  /** The name of the signal whose receivers failed. */
  public String signalName() {
    return signalName;
  }

  /** How many receivers failed. */
  public int failureCount() {
    return failures;
  }
}
