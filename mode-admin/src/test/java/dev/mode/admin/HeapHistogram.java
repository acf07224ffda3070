package dev.mode.admin;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.ObjectName;

/** Live instances of a class in this JVM, from the diagnostic command GC.class_histogram (a full GC first). */
final class HeapHistogram {
  static final String CONNECTION = "sun.net.httpserver.HttpConnection";
  static final String EXCHANGE = "sun.net.httpserver.ExchangeImpl";

  private HeapHistogram() {}

  static long count(String className) {
    String histogram;
    try {
      histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
          new ObjectName("com.sun.management:type=DiagnosticCommand"),
          "gcClassHistogram",
          new Object[] {new String[0]},
          new String[] {String[].class.getName()});
    } catch (JMException e) {
      throw new IllegalStateException("GC.class_histogram failed", e);
    }
    // lines: " num: #instances #bytes class name (module)"
    for (String line : histogram.split("\\n")) {
      String[] f = line.strip().split("\\s+");
      if (f.length >= 4 && f[3].equals(className)) return Long.parseLong(f[1]);
    }
    return 0;
  }
}
