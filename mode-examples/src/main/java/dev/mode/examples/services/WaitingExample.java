package dev.mode.examples.services;

import dev.mode.Service;
import dev.mode.Task;
import dev.mode.WaitResult;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/** docs/services.md: waiting that wakes on stop and crash, and a service from a function. */
public final class WaitingExample {
  private WaitingExample() {}

  /** Waits for each reply with a bound, and gives up at once when it stops or crashes. */
  static class Fetcher extends Service {
    final BlockingQueue<CompletableFuture<String>> requests = new LinkedBlockingQueue<>();

    @Task
    void fetch() throws InterruptedException {
      while (!shouldStop()) {
        CompletableFuture<String> reply = requests.take();
        WaitResult<String> r = waitFor(reply, Duration.ofSeconds(5));
        if (r.stopped()) return; // stopping or crashed: give up at once
        if (r.isCompleted()) log.info("got {}", r.value());
        else log.warn("no reply: {}", r.outcome()); // TIMED_OUT, FAILED, ...
      }
    }
  }

  public static void main(String[] args) throws Exception {
    BlockingQueue<String> in = new LinkedBlockingQueue<>();
    BlockingQueue<String> out = new LinkedBlockingQueue<>();
    Service pump =
        Service.of(
            "Pump",
            () -> {
              while (true) out.put(in.take()); // take() ends with InterruptedException at stop
            });
    pump.start();
    in.put("hello");
    System.out.println("pumped: " + out.take());
    pump.stop(); // interrupts the body and waits for it
    System.out.println("pump is " + pump.state());

    Fetcher fetcher = new Fetcher();
    fetcher.start();
    CompletableFuture<String> answered = new CompletableFuture<>();
    fetcher.requests.put(answered);
    answered.complete("42");
    CompletableFuture<String> never = new CompletableFuture<>();
    fetcher.requests.put(never); // its task now waits up to 5 s for a reply that never comes...
    fetcher.crash(new IllegalStateException("lost the connection")); // ...and wakes at once
    System.out.println("fetcher stopped waiting: " + fetcher.awaitStopped(Duration.ofSeconds(1)));
    fetcher.stop();
    System.out.println("fetcher is " + fetcher.state() + ", the reply is still pending: " + !never.isDone());
  }
}
