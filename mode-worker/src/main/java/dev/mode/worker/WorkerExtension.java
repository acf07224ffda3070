package dev.mode.worker;

import dev.mode.Service;
import java.util.List;

/**
 * A plug-in for the {@link Worker}: adds command-line options and services, and hears a graceful
 * stop before any service stops. Extensions come from {@link java.util.ServiceLoader} (list the
 * class in {@code META-INF/services/dev.mode.worker.WorkerExtension}) and from {@link
 * Worker.Builder#extension}.
 *
 * <p>Order and threading: {@link #options()} is called once, before the command line is parsed;
 * {@link #services} once, after it is parsed and before the Worker starts (the options object is
 * filled in by then); {@link #beforeStop} once per graceful stop, on the Worker's stop thread. All
 * default to doing nothing.
 *
 * <pre>{@code
 * public final class AdminExtension implements WorkerExtension {
 *   @Option(names = "--admin-port") int port = 6066;
 *
 *   public Object options() { return this; }
 *   public List<Service> services(Worker worker) { return List.of(new AdminServer(worker, port)); }
 *   public void beforeStop(Worker worker) { drainReadiness(); }
 * }
 * }</pre>
 */
public interface WorkerExtension {
  /**
   * An object whose picocli {@code @Option} fields the Worker adds to its command line (as a
   * picocli mixin); null for none. Its option names must not clash with the Worker's own.
   */
  default Object options() {
    return null;
  }

  /**
   * Services to run with the Worker's own: they become dependencies of the Worker, started before
   * the user's services and stopped after them.
   */
  default List<Service> services(Worker worker) {
    return List.of();
  }

  /**
   * Called when a graceful stop (a signal, {@link Worker#exit}, the console) is requested, before any
   * service stops. May block, for example to let a load balancer drain; the time counts against the
   * Worker's shutdown timeout. A throw is logged and the stop goes on. Not called after a crash.
   */
  default void beforeStop(Worker worker) {}

  /**
   * A line for the Worker's startup banner, such as {@code "  admin              127.0.0.1:6066"}
   * (label padded to 21 columns, as the Worker's own lines), or null for none. Called once, after
   * {@link #services}, on the thread that executes the Worker.
   */
  default String bannerLine() {
    return null;
  }
}
