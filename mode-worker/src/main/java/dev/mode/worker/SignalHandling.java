package dev.mode.worker;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Installs the Worker's POSIX signal handlers with {@code sun.misc.Signal} and puts the previous
 * ones back on {@link #close()}. Handlers run on a thread the JVM starts for each signal; they must
 * not block for long.
 */
final class SignalHandling implements AutoCloseable {
  private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

  /** Installs a handler per signal name ("TERM", "INT", "HUP", "USR1"); a signal the JVM refuses is logged and skipped. */
  static SignalHandling install(Map<String, Runnable> handlers, Logger log) {
    SignalHandling h = new SignalHandling();
    handlers.forEach(
        (name, action) -> {
          try {
            Signal signal = new Signal(name);
            SignalHandler old = Signal.handle(signal, s -> action.run());
            h.previous.put(signal, old);
            if (old == SignalHandler.SIG_IGN) {
              // the JVM keeps a signal ignored if it was ignored at launch (a background job, nohup)
              log.info("SIG{} is ignored in this process (started in the background or with nohup?);"
                  + " it will have no effect: use SIGTERM to stop", name);
            }
          } catch (IllegalArgumentException e) {
            // e.g. USR1 on a JVM started with -Xrs, or a platform without it
            log.warn("Cannot handle SIG{} here: {}", name, e.getMessage());
          }
        });
    return h;
  }

  @Override
  public void close() {
    previous.forEach(
        (signal, handler) -> {
          try {
            Signal.handle(signal, handler);
          } catch (IllegalArgumentException e) {
            // it was accepted at install; nothing sensible to do if it is refused now
          }
        });
    previous.clear();
  }
}
