package dev.mode.examples.confined;

import dev.mode.confined.ConfinedService;
import dev.mode.mailbox.Mailbox;
import java.util.ArrayList;
import java.util.List;

/** The examples of docs/confined-and-mailbox.md. */
public final class ConfinedExample {
  private ConfinedExample() {}

  /** Stands for a library that must only ever be called from the thread that created it. */
  static final class ThreadAffineLibrary {
    private final Thread owner = Thread.currentThread();
    private final List<String> lines = new ArrayList<>();

    void print(String line) {
      check();
      lines.add(line);
    }

    int printed() {
      check();
      return lines.size();
    }

    void close() {
      check();
    }

    private void check() {
      if (Thread.currentThread() != owner) throw new IllegalStateException("called from a foreign thread");
    }
  }

  /** Every use of the library happens on the service's own platform thread. */
  static final class Printer extends ConfinedService {
    private ThreadAffineLibrary library;

    @Override
    protected void onConfinedStart() {
      library = new ThreadAffineLibrary(); // created on the confined thread
    }

    @Override
    protected void onConfinedShutdown() {
      library.close();
    }

    void print(String line) {
      cast(() -> library.print(line)); // fire-and-forget, from any thread
    }

    int printed() throws Exception {
      return call(() -> library.printed()); // waits for the result
    }
  }

  /** An actor: its state is touched only by its messages, one at a time. */
  static final class Counter extends Mailbox {
    private long count;

    Counter() {
      super(100); // at most 100 waiting messages; senders block beyond that
    }

    void increment() throws InterruptedException {
      cast(() -> count++);
    }

    boolean tryIncrement() {
      return tryCast(() -> count++); // false instead of blocking when full
    }

    long count() throws Exception {
      return call(() -> count);
    }
  }

  public static void main(String[] args) throws Exception {
    Printer printer = new Printer();
    printer.start();
    for (int i = 0; i < 3; i++) {
      int n = i;
      Thread.ofVirtual().start(() -> printer.print("line " + n)).join();
    }
    System.out.println("printed " + printer.printed() + " lines on one thread");
    printer.stop(); // drains queued casts, then onConfinedShutdown, then the thread ends

    Counter counter = new Counter();
    counter.start();
    List<Thread> senders = new ArrayList<>();
    for (int t = 0; t < 10; t++) {
      senders.add(Thread.ofVirtual().start(() -> {
        for (int i = 0; i < 1000; i++) {
          try {
            counter.increment();
          } catch (InterruptedException e) {
            return;
          }
        }
      }));
    }
    for (Thread t : senders) t.join();
    System.out.println("count = " + counter.count());
    counter.stop();
    try {
      counter.increment();
    } catch (IllegalStateException e) {
      System.out.println(e.getMessage());
    }
  }
}
