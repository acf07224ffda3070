package dev.mode;

/**
 * Thrown by {@link Service#start()} when a start callback, a task or a dependency fails; the original
 * failure is the {@linkplain #getCause() cause} and is also the service's {@link Service#crashReason()}.
 */
public class ServiceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ServiceException(String message, Throwable cause) {
    super(message, cause);
  }

  public ServiceException(String message) {
    super(message);
  }
}
