package dev.mode;

import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * A logger that starts each line Mode's way, {@code [^--Label]: }, with one dash per depth below the
 * root, and logs through the service class's own SLF4J logger (so levels are set per class as
 * usual). The prefix is computed at each call, so it follows the service if the tree changes.
 */
final class ServiceLogger extends AbstractLogger {
  private static final long serialVersionUID = 1L;
  private final transient Service service;
  private final transient Logger delegate;

  ServiceLogger(Service service, Logger delegate) {
    this.service = service;
    this.delegate = delegate;
    this.name = delegate.getName();
  }

  static String prefix(Service service) {
    int depth = 0;
    for (Service p = service.parent; p != null; p = p.parent) depth++;
    String label = service.shortLabel();
    StringBuilder sb = new StringBuilder(label.length() + depth + 5).append("[^");
    for (int i = 0; i < depth; i++) sb.append('-');
    return sb.append(label).append("]: ").toString();
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return ServiceLogger.class.getName();
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level, Marker marker, String msg, Object[] args, Throwable throwable) {
    LoggingEventBuilder b = delegate.makeLoggingEventBuilder(level);
    if (marker != null) b = b.addMarker(marker);
    b = b.setMessage(prefix(service) + msg);
    if (args != null) for (Object a : args) b = b.addArgument(a);
    if (throwable != null) b = b.setCause(throwable);
    b.log();
  }

  @Override
  public boolean isTraceEnabled() {
    return delegate.isTraceEnabled();
  }

  @Override
  public boolean isTraceEnabled(Marker marker) {
    return delegate.isTraceEnabled(marker);
  }

  @Override
  public boolean isDebugEnabled() {
    return delegate.isDebugEnabled();
  }

  @Override
  public boolean isDebugEnabled(Marker marker) {
    return delegate.isDebugEnabled(marker);
  }

  @Override
  public boolean isInfoEnabled() {
    return delegate.isInfoEnabled();
  }

  @Override
  public boolean isInfoEnabled(Marker marker) {
    return delegate.isInfoEnabled(marker);
  }

  @Override
  public boolean isWarnEnabled() {
    return delegate.isWarnEnabled();
  }

  @Override
  public boolean isWarnEnabled(Marker marker) {
    return delegate.isWarnEnabled(marker);
  }

  @Override
  public boolean isErrorEnabled() {
    return delegate.isErrorEnabled();
  }

  @Override
  public boolean isErrorEnabled(Marker marker) {
    return delegate.isErrorEnabled(marker);
  }
}
