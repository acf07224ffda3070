package dev.mode.examples.testing;

import dev.mode.Service;
import dev.mode.Timer;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** The service under test in docs/testing.md: refreshes its prices from a source every minute. */
public class PriceCache extends Service {
  /** Where prices come from; a test gives a fake. */
  public interface PriceSource {
    /** The current prices by symbol. */
    Map<String, Long> fetch() throws Exception;
  }

  private final PriceSource source;
  private final AtomicInteger refreshes = new AtomicInteger(); // kept across restarts
  private volatile Map<String, Long> prices = Map.of();

  /** A cache of {@code source}'s prices. */
  public PriceCache(PriceSource source) {
    this.source = source;
  }

  @Timer("1m")
  void refresh() throws Exception {
    prices = Map.copyOf(source.fetch()); // a failure crashes the service: its supervisor decides
    refreshes.incrementAndGet();
    log.info("Refreshed {} prices", prices.size());
  }

  /** The price of {@code symbol}, or null if unknown. */
  public Long price(String symbol) {
    return prices.get(symbol);
  }

  /** How many refreshes have succeeded. */
  public int refreshes() {
    return refreshes.get();
  }
}
