package dev.mode.admin;

import dev.mode.Service;
import dev.mode.State;
import dev.mode.graph.DependencyGraph;
import dev.mode.worker.Worker;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * See and steer a running service tree from outside: an HTTP admin (health probes, the tree as JSON,
 * the graph, a thread dump, Prometheus metrics, restart and stop, a live dashboard), one MXBean per
 * service, and lifecycle events in Java Flight Recorder. See {@code docs/admin.md}.
 *
 * <p>Add it beside the root it observes, or as one of the root's dependencies:
 *
 * <pre>{@code
 * App app = new App();
 * AdminService admin = app.addDependency(new AdminService(app, new AdminOptions().port(6066)));
 * app.start();   // GET http://127.0.0.1:6066/health/ready answers 200 once everything runs
 * }</pre>
 *
 * <p>The admin listens while it is RUNNING: the HTTP server, the MXBeans and the listeners are set
 * up in {@code onStart} and removed in {@code onShutdown}. It listens on loopback unless told
 * otherwise. Reading is open to whoever reaches the port; restart and stop need the bearer token,
 * configured or generated once per admin and logged once at its first start.
 *
 * <p><b>Draining.</b> Call {@link #drain()} when the program has been asked to stop, before anything
 * stops: readiness fails at once (so a load balancer takes the program out of rotation), then the
 * call waits the configured drain delay while requests in flight finish. A Worker extension's
 * {@code beforeStop} does exactly that.
 *
 * <p>Thread-safe: every public method may be called from any thread.
 */
public final class AdminService extends Service {
  private final Service root;
  private final AdminOptions options;
  private final LifecycleLog lifecycle = new LifecycleLog();
  private final FlightEvents flight = new FlightEvents();
  private final Health health;
  private final String token;
  private final boolean tokenGenerated;
  private volatile boolean tokenLogged;
  private volatile boolean draining;

  // set up in onStart, torn down in onShutdown (a service's callbacks do not overlap)
  private volatile AdminHttp http;
  private volatile AdminMetrics metrics;
  private volatile AdminJmx jmx;
  private volatile TimerHistograms timerHistograms;

  /** An admin for the tree under {@code root} with the default options. */
  public AdminService(Service root) {
    this(root, new AdminOptions());
  }

  /**
   * An admin for the tree under {@code root}. The options are copied: later changes to {@code
   * options} have no effect on this admin.
   *
   * @throws IllegalArgumentException if the options hold an invalid token
   */
  public AdminService(Service root, AdminOptions options) {
    this.root = Objects.requireNonNull(root, "root");
    this.options = Objects.requireNonNull(options, "options").copy();
    this.tokenGenerated = this.options.token() == null;
    this.token = tokenGenerated ? generateToken() : this.options.token();
    this.health = new Health(this, this.options.healthGroups(), new HealthChecks(this.options.healthCheckTimeout()));
  }

  @Override
  public String label() {
    return "Admin";
  }

  @Override
  protected void onStart() throws Exception {
    root.addListener(lifecycle);
    health.watch();
    if (options.jfr()) {
      FlightEvents.warmUp();
      root.addListener(flight);
    }
    metrics = new AdminMetrics(root, lifecycle, this::isReady);
    timerHistograms = new TimerHistograms(metrics.registry);
    root.addListener(timerHistograms);
    if (options.jmx()) {
      AdminJmx j = new AdminJmx(this);
      jmx = j;
      root.addListener(j);
      j.registerAll(root);
    }
    http = AdminHttp.start(this, options);
    log.info("Admin listening on {}", uri());
    if (tokenGenerated && !tokenLogged) {
      tokenLogged = true;
      log.warn("Admin token (generated; set one with --admin-token or AdminOptions.token): {}", token);
    }
  }

  @Override
  protected void onShutdown() {
    AdminHttp h = http;
    http = null;
    if (h != null) h.close();
    root.removeListener(lifecycle);
    health.unwatch();
    root.removeListener(flight);
    AdminJmx j = jmx;
    jmx = null;
    if (j != null) {
      root.removeListener(j);
      j.close();
    }
    TimerHistograms th = timerHistograms;
    timerHistograms = null;
    if (th != null) {
      root.removeListener(th);
      th.close();
    }
    AdminMetrics m = metrics;
    metrics = null;
    if (m != null) m.close();
  }

  // ------------------------------------------------------------------------------------------
  // Where it listens

  /** The service whose tree this admin observes and steers. */
  public Service root() {
    return root;
  }

  /**
   * The port the admin listens on (the real one when configured as 0).
   *
   * @throws IllegalStateException if the admin is not listening (not started, or stopped)
   */
  public int port() {
    return listening().port();
  }

  /** The address the admin listens on; see {@link #port()}. */
  public InetSocketAddress address() {
    return listening().address();
  }

  /** The base URI of the admin, such as {@code http://127.0.0.1:6066/}; see {@link #port()}. */
  public URI uri() {
    InetSocketAddress a = address();
    String host = a.getAddress().getHostAddress();
    if (host.contains(":")) host = "[" + host + "]";
    return URI.create("http://" + host + ":" + a.getPort() + "/");
  }

  /**
   * The bearer token that restart and stop requests (HTTP) must carry: the configured one, or the
   * one generated when this admin was built. Treat it as a secret.
   */
  public String token() {
    return token;
  }

  /**
   * The Prometheus registry behind {@code GET /metrics}: add the program's own meters to it.
   *
   * @throws IllegalStateException if the admin is not running
   */
  public PrometheusMeterRegistry meterRegistry() {
    AdminMetrics m = metrics;
    if (m == null) throw new IllegalStateException("The admin " + path() + " is " + state() + ": it has no metrics now");
    return m.registry;
  }

  private AdminHttp listening() {
    AdminHttp h = http;
    if (h == null) throw new IllegalStateException("The admin " + path() + " is " + state() + ": it is not listening");
    return h;
  }

  // ------------------------------------------------------------------------------------------
  // Health and drain

  /**
   * True when the program should get traffic: not draining, the admin RUNNING and every service of
   * the tree RUNNING. False as soon as a stop begins anywhere in the tree.
   */
  public boolean isReady() {
    return notReadyReasons(1).isEmpty();
  }

  /** Why the program is not ready, at most {@code limit} reasons; empty when ready. */
  List<String> notReadyReasons(int limit) {
    List<String> out = new ArrayList<>();
    if (draining) out.add("draining");
    if (state() != State.RUNNING) out.add(path() + " is " + state());
    DependencyGraph.walk(root, (s, depth) -> {
      State st = s.state();
      if (out.size() < limit && st != State.RUNNING) out.add(s.path() + " is " + st);
    });
    if (out.size() < limit) out.addAll(health.checkFailures(limit - out.size()));
    return out.size() > limit ? out.subList(0, limit) : out;
  }

  /** True unless the root has CRASHED: a crashed program should be restarted from outside. */
  public boolean isLive() {
    return root.state() != State.CRASHED;
  }

  /**
   * Fails readiness from now on, at once; idempotent. Does not stop anything. Readiness stays failed
   * for the life of this admin: a drain means the program is going away.
   */
  public void beginDrain() {
    if (!draining) {
      draining = true;
      log.info("Draining: readiness fails from now on");
    }
  }

  /** True once {@link #beginDrain()} or {@link #drain()} was called. */
  public boolean isDraining() {
    return draining;
  }

  /**
   * Begins draining ({@link #beginDrain()}), then waits the configured drain delay so that load
   * balancers notice and requests in flight finish; then returns, and the caller stops the program.
   * An interrupt ends the wait early and is kept in the thread's interrupt flag.
   */
  public void drain() {
    beginDrain();
    Duration delay = options.drainDelay();
    if (delay.isZero()) return;
    log.info("Waiting {} ms before stopping", delay.toMillis());
    try {
      Thread.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The configured drain delay. */
  public Duration drainDelay() {
    return options.drainDelay();
  }

  // ------------------------------------------------------------------------------------------
  // Control (HTTP and JMX)

  enum Action {
    RESTART,
    STOP;

    String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * What a control request did. {@code accepted}: the action has not run yet, because it would stop
   * the admin itself; it runs on a new virtual thread once {@link #proceed()} is called, which the
   * caller does after it has answered.
   */
  final class Outcome {
    final Service service;
    final Action action;
    final boolean accepted;
    private final AtomicBoolean started = new AtomicBoolean();

    Outcome(Service service, Action action, boolean accepted) {
      this.service = service;
      this.action = action;
      this.accepted = accepted;
    }

    String describe() {
      return accepted ? action.word() + " started" : service.state().name();
    }

    /** Starts an accepted action in the background; does nothing otherwise, or the second time. */
    void proceed() {
      if (!accepted || !started.compareAndSet(false, true)) return;
      Thread.ofVirtual()
          .name("mode-admin-" + action.word())
          .start(() -> {
            try {
              run(service, action);
            } catch (RuntimeException e) {
              log.error("{} of {} failed", action.word(), service.path(), e);
            }
          });
    }
  }

  /**
   * Restarts or stops {@code target} for {@code requester} (logged, as "HTTP from /127.0.0.1:5432"
   * or "JMX"), blocking until done, unless {@code target} is this admin or
   * lies above it: the admin would then stop itself while answering, so the outcome is "accepted"
   * and the action waits for {@link Outcome#proceed()}.
   *
   * @throws dev.mode.ServiceException if a restart fails to start the service again
   * @throws Refused for a restart of the {@link Worker} itself, which would end the program (as the
   *     console refuses it)
   */
  Outcome control(Service target, Action action, String requester) {
    log.info("{} of {} requested by {}", action.word(), target.path(), requester);
    if (action == Action.RESTART && target instanceof Worker) {
      throw new Refused(
          "Cannot restart the Worker itself: that would end the program; restart a service below it,"
              + " or stop the Worker (" + target.path() + ") and start the program again");
    }
    if (isWithin(this, target)) return new Outcome(target, action, true);
    run(target, action);
    return new Outcome(target, action, false);
  }

  /** True if {@code s} is {@code ancestor} or lies below it. */
  private static boolean isWithin(Service s, Service ancestor) {
    for (Service x = s; x != null; x = x.parent().orElse(null)) if (x == ancestor) return true;
    return false;
  }

  /** A control request refused because of what it would do (HTTP 409, a JMX exception). */
  static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message, null, false, false);
    }
  }

  private static void run(Service target, Action action) {
    switch (action) {
      case RESTART -> target.restart();
      case STOP -> target.stop();
    }
  }

  Health health() {
    return health;
  }

  LifecycleLog lifecycle() {
    return lifecycle;
  }

  AdminMetrics metrics() {
    return metrics;
  }

  AdminJmx jmx() {
    return jmx;
  }

  private static String generateToken() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
