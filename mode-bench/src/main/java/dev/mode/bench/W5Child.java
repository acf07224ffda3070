package dev.mode.bench;

import dev.mode.Service;
import dev.mode.worker.Worker;
import java.util.Arrays;

/**
 * The program W5 runs in a child JVM: {@code W5Child N [worker options]}: a {@link Worker} with N
 * trivial services, the last of which prints {@value #READY} to standard output once it has started
 * (whatever the log level), so that the measurer knows when to send SIGTERM.
 */
public final class W5Child {
  static final String READY = "W5-ALL-SERVICES-STARTED";

  private W5Child() {}

  /** A service with nothing to do. */
  static final class Trivial extends Service {}

  /** Started last: tells the measurer that every service runs. */
  static final class ReadyMarker extends Service {
    @Override
    protected void onStarted() {
      System.out.println(READY);
      System.out.flush();
    }
  }

  public static void main(String[] args) {
    int n = Integer.parseInt(args[0]);
    Service[] services = new Service[n];
    for (int i = 0; i < n - 1; i++) services[i] = new Trivial();
    services[n - 1] = new ReadyMarker();
    Worker.builder(services).build().executeFromCommandLine(Arrays.copyOfRange(args, 1, args.length));
  }
}
