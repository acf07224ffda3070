package dev.mode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Mode's from_awaitable: Service.of("name", body). */
class ServiceOfTest {

  @Test
  void theBodyRunsAsTheServicesTaskAndItsStopInterruptsIt() throws Exception {
    Semaphore began = new Semaphore(0);
    AtomicInteger interrupted = new AtomicInteger();
    Service pump =
        Service.of(
            "Pump",
            () -> {
              began.release();
              try {
                Thread.sleep(Long.MAX_VALUE);
              } catch (InterruptedException e) {
                interrupted.incrementAndGet();
              }
            });
    assertThat(pump.label()).isEqualTo("Pump");
    pump.start();
    assertThat(began.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
    assertThat(pump.tasks()).extracting(TaskInfo::name).containsExactly("Pump");
    pump.stop();
    assertThat(interrupted.get()).isEqualTo(1);
    assertThat(pump.state()).isEqualTo(State.SHUTDOWN);
    pump.start(); // a restart runs the body again
    assertThat(began.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
    pump.stop();
    assertThat(interrupted.get()).isEqualTo(2);
  }

  @Test
  void theBodyBeginsOnceItsDependenciesRun() throws Exception {
    Fixtures.NoOpService store = new Fixtures.NoOpService("Store");
    CountDownLatch ran = new CountDownLatch(1);
    State[] seen = new State[1];
    Service user =
        Service.of(
            "User",
            () -> {
              seen[0] = store.state();
              ran.countDown();
            });
    user.addDependency(store);
    user.start();
    assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(seen[0]).isEqualTo(State.RUNNING);
    user.stop();
  }

  @Test
  void aFailingBodyCrashesTheService() {
    IllegalStateException boom = new IllegalStateException("boom");
    Service s =
        Service.of(
            "Failing",
            () -> {
              throw boom;
            });
    try {
      s.start();
    } catch (ServiceException e) {
      // the body may fail while the start is still in progress: then the start fails with it
      assertThat(e).hasCause(boom);
    }
    assertThat(s.awaitStopped(Duration.ofSeconds(10))).isTrue();
    assertThat(s.crashReason()).isSameAs(boom);
    s.stop();
  }

  @Test
  void aBlankNameIsRejected() {
    assertThatThrownBy(() -> Service.of(" ", () -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name");
  }
}
