package dev.mode.admin;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.mode.Service;
import dev.mode.graph.DependencyGraph;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;

/**
 * {@code GET /info}: what is running (the program's root and its version from its jar's manifest,
 * Mode's version and build time from {@code build-info.properties}, which Maven fills in), on which
 * JDK, and for how long. Stateless; reads the tree and the JVM afresh at every call.
 */
final class InfoEndpoint {
  private static final Properties BUILD = load();

  private InfoEndpoint() {}

  /** Writes the info document for the tree under {@code root}. */
  static void write(JsonGenerator g, Service root) throws IOException {
    RuntimeMXBean rt = ManagementFactory.getRuntimeMXBean();
    int[] services = new int[1];
    DependencyGraph.walk(root, (s, depth) -> services[0]++);
    g.writeStartObject();

    g.writeObjectFieldStart("app");
    g.writeStringField("name", root.label());
    // the program's own version, when its classes come from a jar whose manifest says so
    nullable(g, "version", root.getClass().getPackage() == null ? null : root.getClass().getPackage().getImplementationVersion());
    g.writeEndObject();

    g.writeObjectFieldStart("mode");
    g.writeStringField("version", BUILD.getProperty("version", "unknown"));
    g.writeStringField("buildTime", BUILD.getProperty("time", "unknown"));
    g.writeEndObject();

    g.writeObjectFieldStart("java");
    g.writeStringField("version", Runtime.version().toString());
    g.writeStringField("vendor", System.getProperty("java.vendor"));
    g.writeStringField("vm", System.getProperty("java.vm.name"));
    g.writeEndObject();

    g.writeObjectFieldStart("process");
    g.writeNumberField("pid", ProcessHandle.current().pid());
    g.writeStringField("startTime", Instant.ofEpochMilli(rt.getStartTime()).toString());
    g.writeNumberField("uptimeSeconds", rt.getUptime() / 1000.0);
    g.writeEndObject();

    g.writeObjectFieldStart("root");
    g.writeStringField("path", root.path());
    g.writeStringField("state", root.state().name());
    g.writeNumberField("services", services[0]);
    Duration up = root.uptime().orElse(null);
    if (up == null) g.writeNullField("uptimeSeconds");
    else g.writeNumberField("uptimeSeconds", up.toNanos() / 1e9);
    g.writeNumberField("restarts", root.restartCount());
    g.writeEndObject();

    g.writeEndObject();
  }

  private static void nullable(JsonGenerator g, String field, String value) throws IOException {
    if (value == null) g.writeNullField(field);
    else g.writeStringField(field, value);
  }

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = InfoEndpoint.class.getResourceAsStream("build-info.properties")) {
      if (in == null) throw new IllegalStateException("build-info.properties is missing from the mode-admin jar");
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }
}
