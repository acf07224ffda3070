package dev.mode.examples.testing;

import dev.mode.Crontab;
import dev.mode.Service;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A cron job for docs/testing.md: a report at 06:00 UTC every weekday. */
public class DailyReport extends Service {
  private final List<String> sent = new CopyOnWriteArrayList<>();

  @Crontab(value = "0 6 * * MON-FRI", zone = "UTC")
  void send() {
    String report = "report for " + clock().instant();
    sent.add(report);
    log.info("Sent {}", report);
  }

  /** The reports sent so far. */
  public List<String> sent() {
    return List.copyOf(sent);
  }
}
