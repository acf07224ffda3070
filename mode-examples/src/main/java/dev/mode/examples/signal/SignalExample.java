package dev.mode.examples.signal;

import dev.mode.signal.Signal;
import dev.mode.signal.SignalException;
import java.util.function.Consumer;

/** The example of docs/signals.md. */
public final class SignalExample {
  private SignalExample() {}

  record Order(String id, long cents) {}

  public static void main(String[] args) throws Exception {
    Signal<Order> orderPlaced = new Signal<>("orderPlaced");

    Consumer<Order> audit = order -> System.out.println("audit: " + order.id());
    orderPlaced.connect(audit);
    orderPlaced.connect(order -> {
      if (order.cents() < 0) throw new IllegalArgumentException("negative total in " + order.id());
    });
    orderPlaced.connect(order -> System.out.println("mail: thanks for " + order.id()));

    orderPlaced.send(new Order("A-1", 1999)); // audit, check, mail: in connection order

    try {
      orderPlaced.send(new Order("A-2", -5)); // the check fails; audit and mail still run
    } catch (SignalException e) {
      System.out.println(e.failureCount() + " receiver failed: " + e.getCause().getMessage());
    }

    orderPlaced.disconnect(audit); // works because we kept the reference
    orderPlaced.sendAsync(new Order("A-3", 500)).get(); // each receiver on its own virtual thread
  }
}
