package dev.mode.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;

/** Heap after garbage collection, and the process's resident set size (Linux). */
final class ProcessMemory {
  private ProcessMemory() {}

  /**
   * Bytes of heap still reachable: the least, over five full collections, of the heap in use as each
   * collection left it ({@link MemoryPoolMXBean#getCollectionUsage()} of every heap pool). Several,
   * because one collection may leave objects whose finalisation or reference processing frees more;
   * as each collection left it, because the heap in use a moment later also counts what the running
   * program (a hundred thousand timers) has allocated since; the least, because a collection that
   * falls in a burst of timer runs also finds the runs in flight reachable.
   */
  static long heapAfterGc() throws InterruptedException {
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      long used = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        MemoryUsage after = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
        if (after != null) used += after.getUsed();
      }
      least = Math.min(least, used);
      Thread.sleep(50);
    }
    return least;
  }

  /** VmRSS of this process in bytes, from /proc/self/status; -1 where there is no /proc. */
  static long rss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          String[] parts = line.substring(6).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
