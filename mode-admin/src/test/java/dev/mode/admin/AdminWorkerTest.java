package dev.mode.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mode.Service;
import dev.mode.State;
import dev.mode.worker.Worker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.management.JMX;
import org.junit.jupiter.api.Test;

/** The admin inside a Worker: what the root may not do, and bad admin options (issue 13, defects 5 and 7). */
class AdminWorkerTest {
  static final class App extends Service {}

  // defect 5: restarting the root would end the program; refused with 409 (HTTP) and an error (JMX)
  @Test
  void restartingTheWorkerItselfIsRefusedOverHttpAndJmxAndTheProgramRunsOn() throws Exception {
    AdminExtension ext = new AdminExtension();
    App app = new App();
    Worker worker = Worker.builder(app).extension(ext).build();
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
        () -> worker.execute("--admin-port=0", "--admin-token=" + Fixtures.TOKEN, "--loglevel=warn"));
    await().until(() -> ext.admin() != null && ext.admin().isReady());
    Http http = new Http(ext.admin().uri());

    for (String path : new String[] {"/services/Worker/restart", "/services/restart"}) {
      HttpResponse<String> r = http.post(path, Fixtures.TOKEN);
      assertThat(r.statusCode()).as("%s: %s", path, r.body()).isIn(404, 409);
      if (path.equals("/services/Worker/restart")) {
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.body()).contains("Cannot restart the Worker itself");
      }
    }
    ServiceMXBean root = JMX.newMXBeanProxy(
        ManagementFactory.getPlatformMBeanServer(), AdminJmx.nameOf("Worker"), ServiceMXBean.class);
    assertThatThrownBy(root::restart).hasMessageContaining("Cannot restart the Worker itself");

    assertThat(exit).as("the program goes on").isNotDone();
    assertThat(worker.state()).isEqualTo(State.RUNNING);
    assertThat(app.state()).isEqualTo(State.RUNNING);
    assertThat(http.post("/services/Worker/App/restart", Fixtures.TOKEN).statusCode()).as("services below it restart").isEqualTo(200);
    assertThat(app.restartCount()).isEqualTo(1);
    worker.exit(0);
    assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
  }

  private record Run(int code, String err) {}

  private static Run execute(String... args) {
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = Worker.builder(new App()).extension(new AdminExtension()).loadExtensions(false).build().execute(args);
      return new Run(code, err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(saved);
    }
  }

  // defect 7: a bad admin option is one clean line on stderr and exit 2, never a stack
  @Test
  void badAdminOptionsExitWith2AndACleanMessage() throws Exception {
    assertUsageError(execute("--admin-port=70000", "--loglevel=warn"), "--admin-port", "70000");
    assertUsageError(execute("--admin-port=0", "--admin-token=short", "--loglevel=warn"), "--admin-token", "16");
    assertUsageError(execute("--admin-port=0", "--admin-bind=no-such-host.invalid", "--loglevel=warn"),
        "--admin-bind", "no-such-host.invalid");
    try (ServerSocket busy = new ServerSocket()) {
      busy.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int port = busy.getLocalPort();
      Run r = execute("--admin-port=" + port, "--loglevel=warn");
      assertUsageError(r, "--admin-port", String.valueOf(port));
      assertThat(r.err()).contains("127.0.0.1:" + port);
    }
  }

  private static void assertUsageError(Run r, String option, String value) {
    assertThat(r.code()).as(r.err()).isEqualTo(Worker.EXIT_USAGE);
    assertThat(r.err()).startsWith("Error: ").contains(option).contains(value).doesNotContain("\tat ").doesNotContain("java.lang.");
    assertThat(r.err().lines().findFirst()).as("the first line names the option").hasValueSatisfying(l -> assertThat(l).contains(option));
  }

  // defect 10: the startup banner lists the admin's address as it lists the console's
  @Test
  void theStartupBannerListsTheAdmin() throws Exception {
    PrintStream saved = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      AdminExtension ext = new AdminExtension();
      Worker worker = Worker.builder(new App()).extension(ext).loadExtensions(false).build();
      CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
          () -> worker.execute("--admin-port=0", "--loglevel=warn"));
      await().until(() -> ext.admin() != null && ext.admin().isReady());
      worker.exit(0);
      assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
    } finally {
      System.setOut(saved);
    }
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("  console            off\n")
        .contains("  admin              http://127.0.0.1:(a free port)/\n");
  }
}
