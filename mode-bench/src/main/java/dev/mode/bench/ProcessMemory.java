package dev.mode.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** Heap after garbage collection, and the process's resident set size (Linux). */
final class ProcessMemory {
  private ProcessMemory() {}

  /**
   * Bytes of heap in use after several full collections: what is still reachable. Several, because
   * one collection may leave objects whose finalisation or reference processing frees more.
   */
  static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
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
