package dev.mode.examples.tutorial;

import dev.mode.Service;
import dev.mode.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers who has been seen, and forgets them after a while: a {@link Timer @Timer} sweeps the
 * expired users every 10 seconds. Thread-safe: the web servers' threads call {@link #seen} while the
 * timer runs on its own virtual thread.
 */
public class UserCache extends Service {
  private final Map<String, Instant> lastSeen = new ConcurrentHashMap<>();
  private final Duration ttl;

  public UserCache(Duration ttl) {
    this.ttl = ttl;
  }

  /** Records that {@code user} was seen now. */
  public void seen(String user) {
    if (lastSeen.put(user, clock().instant()) == null) log.info("Hello, {}", user);
  }

  /** The users seen within the time to live, sorted. */
  public List<String> users() {
    return lastSeen.keySet().stream().sorted().toList();
  }

  @Timer("10s")
  void removeExpired() {
    Instant oldest = clock().instant().minus(ttl);
    int before = lastSeen.size();
    lastSeen.values().removeIf(t -> t.isBefore(oldest));
    int expired = before - lastSeen.size();
    if (expired > 0) log.info("Expired {} user(s); {} left", expired, lastSeen.size());
  }
}
