package dev.mode.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mode.State;
import java.lang.management.ManagementFactory;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One MXBean per service under dev.mode:type=Service,path="...". */
class AdminJmxTest {
  final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
  final Fixtures.App app = new Fixtures.App();
  final AdminService admin = new AdminService(app, Fixtures.options());

  @AfterEach
  void stop() {
    admin.stop();
    app.stop();
  }

  ServiceMXBean bean(String path) {
    return JMX.newMXBeanProxy(server, AdminJmx.nameOf(path), ServiceMXBean.class);
  }

  @Test
  void everyServiceHasAnMXBeanWithLiveAttributes() throws Exception {
    app.start();
    admin.start();
    ObjectName name = new ObjectName("dev.mode:type=Service,path=\"App/Cache\"");
    assertThat(server.isRegistered(name)).isTrue();
    assertThat(server.getAttribute(name, "State")).isEqualTo("RUNNING");
    ServiceMXBean cache = bean("App/Cache");
    assertThat(cache.getPath()).isEqualTo("App/Cache");
    assertThat(cache.getLabel()).isEqualTo("Cache");
    assertThat(cache.getRestartCount()).isZero();
    assertThat(cache.getStartDurationMillis()).isNotNegative();
    assertThat(cache.getStopDurationMillis()).isEqualTo(-1);
    assertThat(cache.getCrashReason()).isNull();
    app.cache.crash(new IllegalStateException("cache corrupt"));
    assertThat(cache.getState()).isEqualTo("CRASHED");
    assertThat(cache.getCrashReason()).contains("cache corrupt");
    assertThat(cache.getCrashCount()).isEqualTo(1);
  }

  @Test
  void restartAndStopOperationsActOnTheService() {
    app.start();
    admin.start();
    assertThat(bean("App/Fetcher").restart()).isEqualTo("RUNNING");
    assertThat(app.fetcher.restartCount()).isEqualTo(1);
    assertThat(bean("App/Fetcher").stop()).isEqualTo("SHUTDOWN");
    assertThat(app.fetcher.state()).isEqualTo(State.SHUTDOWN);
  }

  @Test
  void servicesThatAppearLaterAreRegisteredAndAllAreUnregisteredWhenTheAdminStops() throws Exception {
    app.start();
    admin.start();
    app.addRuntimeDependency(new Fixtures.NoOpService("Late Comer"));
    ObjectName late = AdminJmx.nameOf("App/Late Comer");
    assertThat(late.getKeyProperty("path")).isEqualTo("\"App/Late Comer\"");
    await().until(() -> server.isRegistered(late));
    admin.stop();
    assertThat(server.queryNames(new ObjectName("dev.mode:type=Service,*"), null)).isEmpty();
  }

  @Test
  void aRemovedServiceIsUnregisteredAtOnce() throws Exception {
    app.start();
    admin.start();
    ObjectName fetcher = AdminJmx.nameOf("App/Fetcher");
    assertThat(server.isRegistered(fetcher)).isTrue();
    app.removeDependency(app.fetcher);
    assertThat(server.isRegistered(fetcher)).isFalse();
  }

  @Test
  void pathsWithQuotesAndCommasAreQuoted() throws Exception {
    app.addDependency(new Fixtures.NoOpService("odd,\"name\"=*?"));
    app.start();
    admin.start();
    ObjectName name = AdminJmx.nameOf("App/odd,\"name\"=*?");
    assertThat(server.isRegistered(name)).isTrue();
    assertThat(ObjectName.unquote(name.getKeyProperty("path"))).isEqualTo("App/odd,\"name\"=*?");
  }

  @Test
  void twoServicesWithTheSamePathGetDistinctNames() throws Exception {
    app.addDependency(new Fixtures.NoOpService("Twin"));
    app.addDependency(new Fixtures.NoOpService("Twin"));
    app.start();
    admin.start();
    assertThat(server.isRegistered(AdminJmx.nameOf("App/Twin"))).isTrue();
    assertThat(server.isRegistered(AdminJmx.nameOf("App/Twin#2"))).isTrue();
  }
}
