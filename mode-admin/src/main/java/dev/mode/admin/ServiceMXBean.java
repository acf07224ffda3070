package dev.mode.admin;

/**
 * The JMX view of one service, registered by {@link AdminService} as {@code
 * dev.mode:type=Service,path="App/Cache"} (the path quoted with {@link
 * javax.management.ObjectName#quote}). Attributes are read live; operations block until done, like
 * {@link dev.mode.Service#restart()} and {@link dev.mode.Service#stop()}, except on the admin's own
 * service or one above it, where they are started in the background so the admin can answer first.
 */
public interface ServiceMXBean {
  /** The service's path in the tree. */
  String getPath();

  /** The service's label. */
  String getLabel();

  /** The state's name: INIT, STARTING, RUNNING, STOPPING, SHUTDOWN or CRASHED. */
  String getState();

  /** Milliseconds RUNNING; 0 unless RUNNING. */
  long getUptimeMillis();

  /** Times the service was reset for a restart. */
  int getRestartCount();

  /** Crashes heard since the admin started. */
  long getCrashCount();

  /** Why it crashed ({@code Throwable.toString()}), or null unless CRASHED. */
  String getCrashReason();

  /** Milliseconds the last start took; -1 if it never started. */
  long getStartDurationMillis();

  /** Milliseconds the last stop took; -1 if it never stopped. */
  long getStopDurationMillis();

  /** Live tasks and timer runs in progress. */
  int getTaskCount();

  /** Restarts the service; returns its state afterwards (or "restart started"). */
  String restart();

  /** Stops the service; returns its state afterwards (or "stop started"). */
  String stop();
}
