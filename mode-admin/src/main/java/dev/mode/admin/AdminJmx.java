package dev.mode.admin;

import dev.mode.Service;
import dev.mode.State;
import dev.mode.graph.DependencyGraph;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers one {@link ServiceMXBean} per service of the tree in the platform MBean server: the whole
 * tree at start, then each service the root's listener hears added (or hears of for the first
 * time), and unregisters each it hears removed; {@link #close()} unregisters them all. Two services with the same path get {@code path="App/Worker"} and {@code
 * path="App/Worker#2"}. Thread-safe; the lock is never held around service code.
 */
final class AdminJmx implements Service.Listener, AutoCloseable {
  static final String DOMAIN = "dev.mode";
  private static final Logger LOG = LoggerFactory.getLogger(AdminJmx.class);

  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
  private final AdminService admin;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<Service, ObjectName> names = new IdentityHashMap<>(); // guarded by lock
  private boolean closed; // guarded by lock

  AdminJmx(AdminService admin) {
    this.admin = admin;
  }

  /** The name a service's MXBean gets (before any duplicate suffix). */
  static ObjectName nameOf(String path) {
    try {
      return new ObjectName(DOMAIN + ":type=Service,path=" + ObjectName.quote(path));
    } catch (JMException e) {
      throw new IllegalStateException("Cannot name the MXBean of " + path, e);
    }
  }

  /** Registers every service of the tree; afterwards the tree events keep the registrations current. */
  void registerAll(Service root) {
    DependencyGraph.walk(root, (s, depth) -> register(s));
  }

  @Override
  public void stateChanged(Service service, State from, State to) {
    register(service);
  }

  @Override
  public void dependencyAdded(Service parent, Service dependency) {
    DependencyGraph.walk(dependency, (s, depth) -> register(s));
  }

  @Override
  public void dependencyRemoved(Service parent, Service dependency) {
    lock.lock();
    try {
      DependencyGraph.walk(dependency, (s, depth) -> {
        ObjectName name = names.remove(s);
        if (name != null) unregister(name);
      });
    } finally {
      lock.unlock();
    }
  }

  /** The name under which {@code service} is registered, if it is. */
  Optional<ObjectName> nameOf(Service service) {
    lock.lock();
    try {
      return Optional.ofNullable(names.get(service));
    } finally {
      lock.unlock();
    }
  }

  private void register(Service s) {
    lock.lock();
    try {
      if (closed || names.containsKey(s)) return;
      String path = s.path();
      for (int n = 1; n < 1000; n++) {
        ObjectName name = nameOf(n == 1 ? path : path + "#" + n);
        try {
          server.registerMBean(new Bean(s), name);
          names.put(s, name);
          return;
        } catch (InstanceAlreadyExistsException taken) {
          // another service (or another admin) has this path: try the next suffix
        }
      }
      LOG.warn("No MXBean for {}: 999 services already have its path", path);
    } catch (JMException e) {
      LOG.warn("Cannot register the MXBean of {}: {}", s.path(), e.toString());
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      for (ObjectName name : names.values()) unregister(name);
      names.clear();
    } finally {
      lock.unlock();
    }
  }

  private void unregister(ObjectName name) {
    try {
      server.unregisterMBean(name);
    } catch (InstanceNotFoundException gone) {
      // unregistered by someone else: nothing left to do
    } catch (JMException e) {
      LOG.warn("Cannot unregister {}: {}", name, e.toString());
    }
  }

  private final class Bean implements ServiceMXBean {
    private final Service s;

    Bean(Service s) {
      this.s = s;
    }

    @Override
    public String getPath() {
      return s.path();
    }

    @Override
    public String getLabel() {
      return s.label();
    }

    @Override
    public String getState() {
      return s.state().name();
    }

    @Override
    public long getUptimeMillis() {
      return s.uptime().map(Duration::toMillis).orElse(0L);
    }

    @Override
    public int getRestartCount() {
      return s.restartCount();
    }

    @Override
    public long getCrashCount() {
      return admin.lifecycle().crashes(s);
    }

    @Override
    public String getCrashReason() {
      Throwable r = s.crashReason();
      return r == null ? null : r.toString();
    }

    @Override
    public long getStartDurationMillis() {
      return s.startDuration().map(Duration::toMillis).orElse(-1L);
    }

    @Override
    public long getStopDurationMillis() {
      return s.stopDuration().map(Duration::toMillis).orElse(-1L);
    }

    @Override
    public int getTaskCount() {
      return s.tasks().size();
    }

    @Override
    public String restart() {
      return control(AdminService.Action.RESTART);
    }

    @Override
    public String stop() {
      return control(AdminService.Action.STOP);
    }

    // JMX clients may lack our exception classes: hand back only the message
    private String control(AdminService.Action action) {
      try {
        AdminService.Outcome outcome = admin.control(s, action, "JMX");
        outcome.proceed();
        return outcome.describe();
      } catch (RuntimeException e) {
        throw new IllegalStateException(e.getMessage());
      }
    }
  }
}
