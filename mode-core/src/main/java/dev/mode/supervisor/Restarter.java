package dev.mode.supervisor;

import dev.mode.Service;
import dev.mode.ServiceException;
import dev.mode.supervisor.Slots.Slot;
import java.util.List;
import org.slf4j.Logger;

/**
 * The mechanism of a supervisor's decisions: restarts a group of slots in supervised order,
 * replacing services when a {@link SupervisorStrategy.Replacement} factory says so, and stops groups
 * in reverse. Uses only the supervisor's public {@code Service} API.
 *
 * <p>Runs on the supervisor's {@code supervise} task only, one call at a time.
 */
final class Restarter {
  private final SupervisorStrategy supervisor;
  private final Slots slots;
  private final Logger log;

  Restarter(SupervisorStrategy supervisor, Slots slots, Logger log) {
    this.supervisor = supervisor;
    this.slots = slots;
    this.log = log;
  }

  /** A restart (or replacement) of {@code service} that failed: to handle as its next crash. */
  record Failure(Service service, Throwable reason) {}

  /**
   * Restarts {@code group} in supervised order, the crashed slot logged as such. Stops early (and
   * returns null) once the supervisor is stopping.
   *
   * @return null if every service of the group runs again (or the supervisor stops), else the first
   *     failure; the services after it in the group are left as they are
   */
  Failure restartGroup(
      List<Slot> group, Slot crashed, Throwable reason, SupervisorStrategy.Replacement factory) {
    for (Slot s : group) {
      if (supervisor.shouldStop()) return null;
      Service svc = s.service;
      if (s == crashed) {
        log.warn("Restarting dead {}! Last crash reason: {}", svc.path(), String.valueOf(reason));
      } else {
        log.info("Restarting {} because {} crashed", svc.path(), crashed.service.path());
      }
      try {
        restartSlot(s, factory);
      } catch (ServiceException | ReplacementFailed ex) {
        if (supervisor.shouldStop()) return null;
        Service now = s.service;
        Throwable why = ex instanceof ReplacementFailed ? ex.getCause() : now.crashReason();
        if (why == null) why = ex.getCause() != null ? ex.getCause() : ex;
        if (ex instanceof ReplacementFailed) log.error("Replacing {} failed", now.path(), why);
        s.lastCrash = why;
        return new Failure(now, why);
      } catch (IllegalStateException ex) {
        if (supervisor.shouldStop()) return null; // our stop refused the start: expected
        throw ex;
      }
    }
    return null;
  }

  /** Stops the services of {@code group}, last first; a failing stop is logged and the rest go on. */
  void stopInReverse(List<Slot> group) {
    for (int i = group.size() - 1; i >= 0; i--) {
      Service s = group.get(i).service;
      try {
        s.stop();
      } catch (RuntimeException e) {
        log.error("Stopping {} failed", s.path(), e);
      }
    }
  }

  private void restartSlot(Slot s, SupervisorStrategy.Replacement factory) {
    Service old = s.service;
    s.restarts++;
    s.backoff.restarted(supervisor.clock().nanoTime());
    if (factory == null) {
      old.restart();
      return;
    }
    old.stop();
    Service fresh;
    try {
      fresh = factory.replace(old, Slots.indexIn(slots.snapshot(), old));
    } catch (Exception e) {
      throw new ReplacementFailed(e);
    }
    if (fresh == null) {
      throw new ReplacementFailed(
          new NullPointerException("The replacement factory returned null for " + old.path()));
    }
    if (fresh == old) {
      old.restart();
      return;
    }
    if (fresh.parent().isPresent()) {
      throw new ReplacementFailed(
          new IllegalStateException(
              "The replacement factory returned " + fresh.path() + ", which already has a parent"));
    }
    supervisor.removeDependency(old);
    slots.replace(s, fresh);
    supervisor.addDependency(fresh);
    log.info("Replaced {} with a new {}", old.path(), fresh.path());
    fresh.start();
  }

  /** The replacement factory failed; its cause is what it threw (or what it did wrong). */
  private static final class ReplacementFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ReplacementFailed(Throwable cause) {
      super(cause);
    }
  }
}
