package dev.mode.test;

import dev.mode.Service;
import dev.mode.ServiceException;
import dev.mode.State;
import dev.mode.graph.DependencyGraph;
import dev.mode.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One test's handle on Mode: starts services on the test's clock, waits for what they do without
 * polling, records their crashes, captures the log, runs Worker programs, and at the end stops
 * everything it started and reports what was left behind.
 *
 * <p>The {@link ModeExtension} makes one per test; outside JUnit use {@link #manualClock()} or
 * {@link #systemClock()} in a try-with-resources block, where {@link #close()} does the end-of-test
 * work and throws {@link AssertionError} naming what was left behind.
 *
 * <pre>{@code
 * @Test
 * void restartsTheCacheAfterABackoff(ModeTestKit kit, ManualClock clock) {
 *   OneForOneSupervisor supervisor = new OneForOneSupervisor();
 *   supervisor.setBackoff(Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30)));
 *   Cache cache = supervisor.addDependency(new Cache());   // its 10 s timer fails once
 *   kit.start(supervisor);
 *   clock.advance(Duration.ofSeconds(10));                 // crash; restart due in 1 s
 *   clock.advance(Duration.ofSeconds(1));                  // restarted
 *   assertThat(cache.state()).isEqualTo(State.RUNNING);
 *   assertThat(kit.crashes()).singleElement().extracting(Crash::path).isEqualTo("OneForOneSupervisor/Cache");
 * }
 * }</pre>
 *
 * <h2>Waiting</h2>
 *
 * <p>The {@code await} methods block the calling thread until a condition on a service holds, woken
 * by the service's {@link Service.Listener} events (never by sleeping and polling), for at most a
 * timeout ({@value #DEFAULT_TIMEOUT_SECONDS} s when not given). When time runs out they throw {@link
 * AssertionError} with what the service tree was doing: each service's state, restart count and
 * crash reason, the callback or timer run in progress and the tasks, each with its stack. With a
 * {@link ManualClock}, {@link ManualClock#advance} already returns with its effects settled, so the
 * waits are for what other threads do: a task's loop, a restart triggered by a direct {@code
 * crash()}, a program on the system clock.
 *
 * <h2>Crashes</h2>
 *
 * <p>Every crash in the trees the kit started is recorded. A crash counts as looked at once the test
 * has called {@link #crashes()}, {@link #awaitCrash}, {@link #awaitState} for CRASHED or {@link
 * #awaitRestarts} on that service, or asserted its "Crashed reason=" line with {@link
 * CapturedLogs#assertLogged}; looking at one crash also covers the same reason propagated to the
 * parents. A crash nobody looked at fails the test at the end, unless it opted out with
 * {@code @ModeTest(failOnUnobservedCrash = false)}.
 *
 * <p>Thread-safe; the {@code start}, {@code await} and Worker methods are meant for the test's thread.
 * Log capture and a Worker's standard streams are process-wide, so tests that use a kit must not run
 * in parallel with each other in one JVM (JUnit runs them one at a time unless told otherwise).
 */
public final class ModeTestKit implements AutoCloseable {
  /** The timeout of the waits that take none. */
  public static final long DEFAULT_TIMEOUT_SECONDS = 10;

  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS);
  private static final Duration THREAD_GRACE = Duration.ofSeconds(1);

  private final ManualClock clock; // null: the system clock
  private final boolean failOnUnobservedCrash;
  private final CapturedLogs logs;
  private final AutoCloseable capture; // null when Logback is not the backend
  private final List<Service> started = new CopyOnWriteArrayList<>();
  private final List<Recorded> crashes = new CopyOnWriteArrayList<>();
  private final List<WorkerRun> workers = new CopyOnWriteArrayList<>();
  private final Service.Listener crashListener =
      new Service.Listener() {
        @Override
        public void crashed(Service service, Throwable reason) {
          crashes.add(new Recorded(new Crash(service, service.path(), reason, service.clock().instant())));
        }
      };

  ModeTestKit(boolean systemClock, boolean failOnUnobservedCrash, boolean quietLogs, String logLevel) {
    this.clock = systemClock ? null : new ManualClock();
    this.failOnUnobservedCrash = failOnUnobservedCrash;
    String why = CapturedLogs.whyUnavailable();
    this.logs = new CapturedLogs(why);
    this.capture = why == null ? LogbackCapture.install(logs, quietLogs, logLevel) : null;
    logs.onAsserted(this::sawLogLine);
  }

  /** A kit on a new {@link ManualClock}, quiet logs at INFO, failing on unobserved crashes. */
  public static ModeTestKit manualClock() {
    return new ModeTestKit(false, true, true, "INFO");
  }

  /** A kit that leaves services on the system clock, quiet logs at INFO, failing on unobserved crashes. */
  public static ModeTestKit systemClock() {
    return new ModeTestKit(true, true, true, "INFO");
  }

  // ------------------------------------------------------------------------------------------
  // Services

  /**
   * The test's manual clock: the kit sets it on every service it starts.
   *
   * @throws IllegalStateException if the kit keeps the system clock
   */
  public ManualClock clock() {
    if (clock == null) {
      throw new IllegalStateException(
          "This test runs on the system clock (@ModeTest(systemClock = true)): there is no ManualClock");
    }
    return clock;
  }

  /** True if services run on the system clock. */
  public boolean usesSystemClock() {
    return clock == null;
  }

  /**
   * Sets the test's clock on {@code service} (unless the kit keeps the system clock), starts it, and
   * has it stopped at the end of the test. Returns when it is RUNNING, as {@link Service#start()}.
   *
   * @return {@code service}
   * @throws ServiceException as {@link Service#start()}; the crash it reports counts as looked at
   *     (the test has the exception), and the service is still stopped at the end
   */
  public <S extends Service> S start(S service) {
    register(service);
    try {
      service.start();
    } catch (ServiceException e) {
      for (Recorded r : crashes) r.seen = true;
      throw e;
    }
    return service;
  }

  /**
   * Sets the test's clock on {@code service} and has the kit watch it and stop it at the end of the
   * test, without starting it: for a service the test starts another way.
   *
   * @return {@code service}
   */
  public <S extends Service> S register(S service) {
    Objects.requireNonNull(service, "service");
    if (started.contains(service)) return service;
    if (clock != null) service.setClock(clock);
    service.addListener(crashListener);
    started.add(service);
    return service;
  }

  /** The services the test started through the kit, in start order: a snapshot. */
  public List<Service> started() {
    return List.copyOf(started);
  }

  // ------------------------------------------------------------------------------------------
  // Crashes

  /** Every crash seen so far, in order; marks them all as looked at. */
  public List<Crash> crashes() {
    List<Crash> out = new ArrayList<>();
    for (Recorded r : crashes) {
      r.seen = true;
      out.add(r.crash);
    }
    return List.copyOf(out);
  }

  private void sawCrashesOf(Service service) {
    for (Recorded r : crashes) if (r.crash.service() == service) seen(r.crash.reason());
  }

  // a reason propagated up the tree is one crash: looking at any of its records covers them all
  private void seen(Throwable reason) {
    for (Recorded r : crashes) if (r.crash.reason() == reason) r.seen = true;
  }

  private void sawLogLine(LogLine line) {
    if (!line.message().contains("Crashed reason=")) return;
    for (Recorded r : crashes) if (line.message().contains(String.valueOf(r.crash.reason()))) seen(r.crash.reason());
  }

  // ------------------------------------------------------------------------------------------
  // Waiting

  /** {@link #awaitState(Service, State, Duration)} with the default timeout. */
  public void awaitState(Service service, State state) throws InterruptedException {
    awaitState(service, state, DEFAULT_TIMEOUT);
  }

  /**
   * Waits until {@code service} is in {@code state}. Waiting for CRASHED marks its crashes as looked
   * at.
   *
   * @throws AssertionError with what the service was doing, if it is not in that state within the
   *     timeout
   */
  public void awaitState(Service service, State state, Duration timeout) throws InterruptedException {
    Objects.requireNonNull(state, "state");
    await(service, timeout, service.path() + " to be " + state, () -> service.state() == state ? Boolean.TRUE : null);
    if (state == State.CRASHED) sawCrashesOf(service);
  }

  /** {@link #awaitRestarts(Service, int, Duration)} with the default timeout. */
  public void awaitRestarts(Service service, int count) throws InterruptedException {
    awaitRestarts(service, count, DEFAULT_TIMEOUT);
  }

  /**
   * Waits until {@code service} has been restarted at least {@code count} times <em>and</em> is
   * RUNNING again ({@link Service#restartCount()} alone rises when the restart begins). Marks its
   * crashes as looked at.
   *
   * @throws AssertionError with what the service was doing, when time runs out
   */
  public void awaitRestarts(Service service, int count, Duration timeout) throws InterruptedException {
    if (count < 0) throw new IllegalArgumentException("A restart count cannot be negative: " + count);
    await(
        service,
        timeout,
        service.path() + " to be RUNNING after at least " + count + " restart(s)",
        () -> service.restartCount() >= count && service.state() == State.RUNNING ? Boolean.TRUE : null);
    sawCrashesOf(service);
  }

  /** {@link #awaitCrash(Service, Duration)} with the default timeout. */
  public Crash awaitCrash(Service service) throws InterruptedException {
    return awaitCrash(service, DEFAULT_TIMEOUT);
  }

  /**
   * Waits until {@code service} has crashed at least once during the test (or did already) and returns
   * its latest crash; marks its crashes as looked at.
   *
   * @throws AssertionError with what the service was doing, when time runs out
   */
  public Crash awaitCrash(Service service, Duration timeout) throws InterruptedException {
    Crash c = await(service, timeout, service.path() + " to crash", () -> latestCrashOf(service));
    sawCrashesOf(service);
    return c;
  }

  private Crash latestCrashOf(Service service) {
    Crash latest = null;
    for (Recorded r : crashes) if (r.crash.service() == service) latest = r.crash;
    return latest;
  }

  /** {@link #awaitNextTimerRun(Service, String, Duration)} with the default timeout. */
  public TimerRun awaitNextTimerRun(Service service, String timer) throws InterruptedException {
    return awaitNextTimerRun(service, timer, DEFAULT_TIMEOUT);
  }

  /**
   * Waits for the next run of {@code service}'s timer or cron job {@code timer} that ends after this
   * call, and returns it. With a {@link ManualClock} no run comes unless another thread advances it:
   * there, {@link ManualClock#advance} already returns after the runs it caused.
   *
   * @throws IllegalArgumentException if the service has no timer or cron job of that name
   * @throws AssertionError with what the service was doing, when time runs out
   */
  public TimerRun awaitNextTimerRun(Service service, String timer, Duration timeout) throws InterruptedException {
    Objects.requireNonNull(timer, "timer");
    if (service.timers().stream().noneMatch(t -> t.name().equals(timer))) {
      throw new IllegalArgumentException(
          service.path() + " has no timer or cron job named '" + timer + "'; it has "
              + service.timers().stream().map(t -> t.name()).toList());
    }
    TimerRun[] seen = new TimerRun[1];
    Service.Listener hear =
        new Service.Listener() {
          @Override
          public void timerRan(
              Service s, String name, Duration lateness, Duration runtime, boolean overlapped, Throwable error) {
            if (s == service && name.equals(timer) && seen[0] == null) {
              seen[0] = new TimerRun(s, name, lateness, runtime, overlapped, Optional.ofNullable(error));
            }
          }
        };
    return await(service, timeout, "the next run of " + service.path() + "'s timer " + timer, hear, () -> seen[0]);
  }

  private <T> T await(Service service, Duration timeout, String what, Supplier<T> check) throws InterruptedException {
    return await(service, timeout, what, null, check);
  }

  // Waits on the service's listener events until check returns non-null. The listener signals under
  // the same lock the check runs under, so an event between a check and the wait is not lost.
  private <T> T await(Service service, Duration timeout, String what, Service.Listener first, Supplier<T> check)
      throws InterruptedException {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(timeout, "timeout");
    ReentrantLock lock = new ReentrantLock();
    Condition changed = lock.newCondition();
    Runnable signal =
        () -> {
          lock.lock();
          try {
            changed.signalAll();
          } finally {
            lock.unlock();
          }
        };
    Service.Listener wake =
        new Service.Listener() {
          @Override
          public void stateChanged(Service s, State from, State to) {
            signal.run();
          }

          @Override
          public void crashed(Service s, Throwable reason) {
            signal.run();
          }

          @Override
          public void timerRan(Service s, String t, Duration l, Duration r, boolean o, Throwable e) {
            if (first != null) {
              lock.lock();
              try {
                first.timerRan(s, t, l, r, o, e);
              } finally {
                lock.unlock();
              }
            }
            signal.run();
          }
        };
    service.addListener(wake);
    try {
      long deadline = System.nanoTime() + timeout.toNanos();
      lock.lock();
      try {
        for (;;) {
          T value = check.get();
          if (value != null) return value;
          long wait = deadline - System.nanoTime();
          if (wait <= 0) break;
          changed.awaitNanos(wait);
        }
      } finally {
        lock.unlock();
      }
    } finally {
      service.removeListener(wake);
    }
    throw new AssertionError("Timed out after " + timeout + " waiting for " + what + ". The service tree now:\n" + ServiceReport.of(service));
  }

  // ------------------------------------------------------------------------------------------
  // Logs and Worker programs

  /** The log lines captured during the test. */
  public CapturedLogs logs() {
    return logs;
  }

  /**
   * Starts {@code program} (typically {@code worker::execute}) with {@code args} on its own thread and
   * returns at once; see {@link WorkerRun}. A program still running at the end of the test is
   * interrupted and fails the test.
   */
  public WorkerRun startWorker(WorkerRun.Program program, String... args) {
    WorkerRun run = WorkerRun.start(program, args);
    workers.add(run);
    return run;
  }

  /**
   * Runs {@code program} with {@code args} to its end (at most a minute) and returns the finished run:
   * for programs that end by themselves ({@code --help}, a bad option, an exit requested by a service,
   * a crash).
   *
   * @throws AssertionError if it is still running after a minute, or threw instead of returning a code
   */
  public WorkerRun runWorker(WorkerRun.Program program, String... args) throws InterruptedException {
    WorkerRun run = startWorker(program, args);
    run.awaitExit(Duration.ofMinutes(1));
    return run;
  }

  // ------------------------------------------------------------------------------------------
  // End of test

  /**
   * Ends the test: interrupts Worker programs still running, stops every service the kit started in
   * reverse order, then checks that no thread still runs their code (a task's thread, or a timer's
   * pooled runner still inside one of their runs) and (unless opted out) that every crash was looked
   * at; and stops capturing the log.
   *
   * @throws AssertionError naming the threads, services and programs left behind
   */
  @Override
  public void close() throws InterruptedException {
    List<String> problems = finish();
    if (!problems.isEmpty()) throw new AssertionError(String.join("\n", problems));
  }

  // the end-of-test work; returns the problems found, one message each
  List<String> finish() throws InterruptedException {
    List<String> problems = new ArrayList<>();
    try {
      for (WorkerRun w : workers) {
        String p = w.stopIfRunning(Duration.ofSeconds(30));
        if (p != null) problems.add(p);
      }
      Set<Thread> threads = new LinkedHashSet<>();
      for (Service s : started) threadsOf(s, threads);
      List<Service> reverse = new ArrayList<>(started);
      Collections.reverse(reverse);
      for (Service s : reverse) s.stop();
      for (Service s : started) threadsOf(s, threads);
      // what must not outlive the stop is the services' code: a thread still inside one of their
      // runs. A timer's runner is pooled and lives on after its run, so being alive is not enough.
      List<String> alive = new ArrayList<>();
      long deadline = System.nanoTime() + THREAD_GRACE.toNanos();
      for (Thread t : threads) {
        // a thread that is just returning from its last frame gets a grace period
        while (t.isAlive() && stillRuns(t) && System.nanoTime() - deadline < 0) t.join(Duration.ofMillis(10));
        if (t.isAlive() && stillRuns(t)) alive.add(describe(t));
      }
      if (!alive.isEmpty()) {
        problems.add("Threads of the test's services still run their code after the services stopped:\n" + String.join("\n", alive));
      }
      if (failOnUnobservedCrash) {
        List<String> unseen = new ArrayList<>();
        for (Recorded r : crashes) if (!r.seen) unseen.add("  " + r.crash);
        if (!unseen.isEmpty()) {
          problems.add(
              "Services crashed and the test never looked at it (use kit.crashes(), kit.awaitCrash(...), or"
                  + " @ModeTest(failOnUnobservedCrash = false)):\n" + String.join("\n", unseen));
        }
      }
      for (Service s : started) s.removeListener(crashListener);
    } finally {
      if (capture != null) {
        try {
          capture.close();
        } catch (Exception e) {
          problems.add("Could not restore the logging configuration: " + e);
        }
      }
    }
    return problems;
  }

  // true if t is in a run of a service the kit started (or one below it)
  private boolean stillRuns(Thread t) {
    Set<Thread> now = new LinkedHashSet<>();
    for (Service s : started) threadsOf(s, now);
    return now.contains(t);
  }

  private static void threadsOf(Service root, Set<Thread> into) {
    DependencyGraph.walk(root, (s, depth) -> into.addAll(s.threads()));
  }

  private static String describe(Thread t) {
    StringBuilder sb = new StringBuilder("  ").append(t.getName());
    sb.append(t.isVirtual() ? " (virtual, " : " (platform, ").append(t.getState()).append(")");
    StackTraceElement[] frames = t.getStackTrace();
    for (int i = 0; i < frames.length && i < 12; i++) sb.append("\n      at ").append(frames[i]);
    return sb.toString();
  }

  /** A crash and whether the test has looked at it. */
  private static final class Recorded {
    final Crash crash;
    volatile boolean seen;

    Recorded(Crash crash) {
      this.crash = crash;
    }
  }
}
