package dev.mode;

import org.slf4j.MDC;

/**
 * The lifecycle callbacks, called by constant so that a start or stop allocates no lambda per
 * callback (a hundred thousand services start at once), and the thread context service code runs
 * in: the {@link Activity} record a blocking detector watches, the MDC, and {@link
 * Service#current()}. The only writer of {@code Service.callback} and of the current-service
 * thread-local.
 */
enum Callback {
  ON_INIT_DEPENDENCIES("onInitDependencies"),
  ON_FIRST_START("onFirstStart"),
  ON_START("onStart"),
  ON_STARTED("onStarted"),
  ON_STOP("onStop"),
  ON_SHUTDOWN("onShutdown"),
  ON_RESTART("onRestart");

  // the service whose task, timer or cron run is on this thread
  private static final ThreadLocal<Service> CURRENT = new ThreadLocal<>();

  final String method;

  Callback(String method) {
    this.method = method;
  }

  /** Whether {@code s}'s class overrides this callback (Service's own do nothing). */
  boolean overriddenBy(Service s) {
    return s.model.overrides(method);
  }

  /** Runs this callback of {@code s} with the activity record and the MDC set. */
  void call(Service s) throws Exception {
    dispatch(s);
  }

  /** As {@link #call}, logging a failure instead of throwing: the stop goes on. */
  void callLogged(Service s) {
    try {
      dispatch(s);
    } catch (Throwable t) {
      s.log.error("{} failed; the stop goes on", method, t);
    }
  }

  /** Runs {@code onInitDependencies}; null if the class does not override it. */
  static Iterable<? extends Service> initDependencies(Service s) throws Exception {
    @SuppressWarnings("unchecked")
    Iterable<? extends Service> deps = (Iterable<? extends Service>) ON_INIT_DEPENDENCIES.dispatch(s);
    return deps;
  }

  // returns what the callback returned (only onInitDependencies returns something), or null if the
  // class does not override it
  private Object dispatch(Service s) throws Exception {
    if (!overriddenBy(s)) return null;
    Activity before = s.callback;
    String mdcBefore = MDC.get(Service.MDC_KEY);
    s.callback = new Activity(method, Thread.currentThread(), System.nanoTime());
    MDC.put(Service.MDC_KEY, s.path());
    try {
      switch (this) {
        case ON_INIT_DEPENDENCIES -> {
          return s.onInitDependencies();
        }
        case ON_FIRST_START -> s.onFirstStart();
        case ON_START -> s.onStart();
        case ON_STARTED -> s.onStarted();
        case ON_STOP -> s.onStop();
        case ON_SHUTDOWN -> s.onShutdown();
        case ON_RESTART -> s.onRestart();
      }
      return null;
    } finally {
      s.callback = before;
      if (mdcBefore == null) MDC.remove(Service.MDC_KEY);
      else MDC.put(Service.MDC_KEY, mdcBefore);
    }
  }

  /**
   * Sets up a new thread (one per task or timer run, never reused) to run {@code s}'s code: its name
   * for thread dumps (path:job), {@link Service#current()} and the MDC. Nothing is undone at the
   * end: the thread ends with the run.
   */
  static void enterThread(Service s, Thread t, String jobName) {
    String path = s.path();
    enter(s, t, path + ":" + jobName, path);
  }

  /**
   * {@link #enterThread} for a timer or cron run on a pooled runner: the thread is named by the
   * service's path, the String the service holds (a name per job cost a String per timed service
   * kept for ever, or one made per run).
   */
  static void enterRun(Service s, Thread t) {
    String path = s.path();
    enter(s, t, path, path);
  }

  private static void enter(Service s, Thread t, String threadName, String path) {
    t.setName(threadName);
    CURRENT.set(s);
    MDC.put(Service.MDC_KEY, path);
  }

  /**
   * Undoes {@link #enterRun} on a thread kept for other work ({@link Runners}). The MDC key stays:
   * the next run overwrites it without allocating, and an idle runner logs nothing.
   */
  static void leaveThread(Thread t) {
    t.setName(Runners.IDLE_NAME);
    CURRENT.set(null);
  }

  /** Makes {@code s} the current service of this thread: a stop helper acts for its caller. */
  static void adopt(Service s) {
    CURRENT.set(s);
  }

  static Service current() {
    return CURRENT.get();
  }
}
