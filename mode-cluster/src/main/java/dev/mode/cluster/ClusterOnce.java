package dev.mode.cluster;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a {@link dev.mode.Timer @Timer} or {@link dev.mode.Crontab @Crontab} method on one replica per
 * fire time, across every replica of the program connected to the same {@link Cluster} store. Put it
 * beside the timer or cron annotation; without a running {@link Cluster} in the process the method
 * runs on every replica as usual. If the store cannot be reached at a fire time, the run is skipped
 * (logged at WARNING): at most once wins over at least once.
 *
 * <p>Fire time: a cron job's fire time, which every replica computes alike; for a timer, the slot of
 * the interval grid counted from the epoch that holds the run's own slot ({@code floor(slot /
 * interval)}), so replicas whose timers started at different moments still agree on the fire time.
 * The first replica to claim a fire time runs it; the others skip that fire time. A replica whose run
 * is later than one and a half fire periods (the interval, or a minute for cron) skips it too: that
 * fire time belongs to replicas that were on time (a paused or overloaded replica never runs a stale
 * fire time a second time).
 *
 * <p>Lock semantics are ShedLock's, on the job's own lock (one per service path and job name): while
 * a run goes on, no replica starts the job; the lock is released when the run ends but held at least
 * {@link #lockAtLeastFor()} from the run's start; if the replica dies during a run, the lock is held
 * at most {@link #lockAtMostFor()} (then another replica may run the job while the dead one's run
 * would still be going). A replica that claimed a fire time while the job lock is held by a longer
 * run elsewhere waits for the lock as long as the fire time may be claimed (one and a half periods
 * after it), then gives the fire time back; one that nobody runs in time is skipped, as a local timer
 * skips the runs it overlaps.
 *
 * <p>Guarantee: at most once per fire time. A fire time at which every replica is down, or whose
 * claimer dies before its run ends, is not run again: the misfire policy is "skip, do not catch up"
 * (Quartz's {@code MISFIRE_INSTRUCTION_DO_NOTHING}, ShedLock's behaviour).
 *
 * <pre>
 * &#64;Timer("1m")
 * &#64;ClusterOnce(lockAtMostFor = "5m", lockAtLeastFor = "10s")
 * void sendReport() { ... }
 * </pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ClusterOnce {
  /**
   * How long the job's lock is kept if the replica running it dies (or pauses) mid-run: longer than
   * the longest run. A duration string ({@code "250ms"}, {@code "5m"}, ISO-8601). Default one minute.
   */
  String lockAtMostFor() default "1m";

  /**
   * How long, from a run's start, the job's lock is kept even if the run ends earlier: spaces runs
   * apart across replicas whose clocks differ. Default none.
   */
  String lockAtLeastFor() default "0s";
}
