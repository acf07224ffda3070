package dev.mode.test;

import dev.mode.Service;
import java.time.Instant;

/**
 * A crash the kit saw in a service the test started (or below it).
 *
 * @param service the service that crashed
 * @param path its path when it crashed
 * @param reason the crash reason
 * @param at when it crashed, on the service's clock
 */
public record Crash(Service service, String path, Throwable reason, Instant at) {
  @Override
  public String toString() {
    return path + " crashed: " + reason;
  }
}
