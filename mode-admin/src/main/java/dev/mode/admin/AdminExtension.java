package dev.mode.admin;

import dev.mode.Service;
import dev.mode.worker.DurationConverter;
import dev.mode.worker.SecretFileConverter;
import dev.mode.worker.Worker;
import dev.mode.worker.WorkerExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

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
  private volatile AdminOptions adminOptions;

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
        converter = PortConverter.class,
        description = "Run the HTTP admin (health, service tree, metrics, dashboard) on this port; 0: any free port. Off unless given.")
    Integer port;

    @Option(
        names = "--admin-bind",
        paramLabel = "ADDRESS",
        converter = BindConverter.class,
        description = "Address the HTTP admin listens on. Default: 127.0.0.1 (this machine only).")
    String bind;

    @Option(
        names = "--admin-token",
        paramLabel = "TOKEN",
        converter = TokenConverter.class,
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

  // picocli turns a converter's exception into "Invalid value for option '--admin-port': ..." (exit 2)
  static final class PortConverter implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int port;
      try {
        port = Integer.parseInt(value.strip());
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + value + "' is not a port: use 0 (any free port) or 1..65535");
      }
      try {
        new AdminOptions().port(port);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
      return port;
    }
  }

  static final class BindConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      try {
        new AdminOptions().bindAddress(value);
        InetAddress.getByName(value.strip());
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      } catch (UnknownHostException e) {
        throw new TypeConversionException("unknown host '" + value + "': use a host name of this machine or an IP address such as 127.0.0.1");
      }
      return value.strip();
    }
  }

  static final class TokenConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      try {
        new AdminOptions().token(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
      return value;
    }
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
    checkPortFree(options);
    AdminService service = new AdminService(worker, options);
    adminOptions = options.copy();
    admin = service;
    return List.of(service);
  }

  // a port in use is a usage error named before anything starts, not a crash of the admin's start
  private static void checkPortFree(AdminOptions options) {
    if (options.port() == 0) return;
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(InetAddress.getByName(options.bindAddress()), options.port()));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Invalid value for option '--admin-port': cannot listen on " + options.bindAddress() + ":" + options.port()
              + " (" + e.getMessage() + "; is another program using the port?): choose another port, or 0 for any free port");
    }
  }

  @Override
  public String bannerLine() {
    AdminService a = admin;
    if (a == null) return null;
    AdminOptions o = adminOptions;
    return "  admin              http://" + o.bindAddress() + ":" + (o.port() == 0 ? "(a free port)" : o.port()) + "/";
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
