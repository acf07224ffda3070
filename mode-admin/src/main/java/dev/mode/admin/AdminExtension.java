package dev.mode.admin;

import dev.mode.Service;
import dev.mode.worker.DurationConverter;
import dev.mode.worker.SecretFileConverter;
import dev.mode.worker.Worker;
import dev.mode.worker.WorkerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import picocli.CommandLine.Option;

/**
 * Switches the HTTP admin on from the {@link Worker}'s command line. With mode-admin on the class
 * path the Worker finds this extension by itself ({@code ServiceLoader}) and gains {@code
 * --admin-port}, {@code --admin-bind}, {@code --admin-token} and {@code --drain-delay}. The admin is
 * opt-in: it runs only when {@code --admin-port} is given, or when the extension was built with
 * options in code ({@code Worker.builder(app).extension(new AdminExtension(options))}), whose values
 * the command line then overrides.
 *
 * <p>On a graceful stop (SIGTERM, {@link Worker#exit}, the console) readiness fails at once, the
 * Worker waits the drain delay, and only then do services stop: the Kubernetes "drain before stop".
 * Not thread-safe: the Worker calls it from one thread, in the order {@link WorkerExtension}
 * documents.
 */
public final class AdminExtension implements WorkerExtension {
  private final AdminOptions defaults; // null: off unless --admin-port is given
  private final Flags flags = new Flags();
  private volatile AdminService admin;

  /** The extension the Worker loads by itself: off unless {@code --admin-port} is given. */
  public AdminExtension() {
    this.defaults = null;
  }

  /** An extension that always runs the admin, with these settings unless the command line overrides them. */
  public AdminExtension(AdminOptions options) {
    this.defaults = Objects.requireNonNull(options, "options");
  }

  /** The command-line flags; null fields were not given. */
  static final class Flags {
    @Option(
        names = "--admin-port",
        paramLabel = "PORT",
        description = "Run the HTTP admin (health, service tree, metrics, dashboard) on this port; 0: any free port. Off unless given.")
    Integer port;

    @Option(
        names = "--admin-bind",
        paramLabel = "ADDRESS",
        description = "Address the HTTP admin listens on. Default: 127.0.0.1 (this machine only).")
    String bind;

    @Option(
        names = "--admin-token",
        paramLabel = "TOKEN",
        description = "Bearer token for the admin's restart and stop requests (16+ characters). Default: random, logged once.")
    String token;

    @Option(
        names = "--admin-token-file",
        paramLabel = "FILE",
        converter = SecretFileConverter.class,
        description = "Read the admin token from FILE (its trailing newline removed), off the command line.")
    String tokenFromFile;

    @Option(
        names = "--drain-delay",
        paramLabel = "DURATION",
        converter = DurationConverter.class,
        description = "On a stop signal, fail readiness and wait this long before stopping (250ms, 5s, PT5S). Default: 0s.")
    Duration drainDelay;
  }

  @Override
  public Object options() {
    return flags;
  }

  @Override
  public List<Service> services(Worker worker) {
    if (defaults == null && flags.port == null) return List.of();
    AdminOptions options = defaults != null ? defaults : new AdminOptions();
    if (flags.port != null) options.port(flags.port);
    if (flags.bind != null) options.bindAddress(flags.bind);
    if (flags.token != null) options.token(flags.token);
    if (flags.tokenFromFile != null) options.token(flags.tokenFromFile);
    if (flags.drainDelay != null) options.drainDelay(flags.drainDelay);
    AdminService service = new AdminService(worker, options);
    admin = service;
    return List.of(service);
  }

  @Override
  public void beforeStop(Worker worker) {
    AdminService a = admin;
    if (a != null) a.drain();
  }

  /** The admin this extension runs, once the Worker has started it; null when the admin is off. */
  public AdminService admin() {
    return admin;
  }
}
