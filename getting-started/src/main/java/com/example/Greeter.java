package com.example;

import dev.mode.Service;
import dev.mode.Timer;
import java.util.concurrent.atomic.AtomicInteger;

/** A service with one timer: it greets every second, from its first second on. */
public class Greeter extends Service {
  private final AtomicInteger greetings = new AtomicInteger();

  @Timer(value = "1s", execFirst = true)
  void greet() {
    int n = greetings.incrementAndGet();
    log.info("Hello from Mode for Java (greeting {})", n);
  }

  /** How many times this service has greeted; safe from any thread. */
  public int greetings() {
    return greetings.get();
  }
}
