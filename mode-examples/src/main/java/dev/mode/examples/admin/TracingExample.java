package dev.mode.examples.admin;

import dev.mode.Service;
import dev.mode.Timer;
import dev.mode.admin.ModeObservations;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.exporter.logging.LoggingSpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.List;

/** docs/admin.md "Tracing": starts, stops and timer runs as OpenTelemetry spans. */
public final class TracingExample {
  private TracingExample() {}

  static final class Inventory extends Service {
    @Timer("2s")
    void refresh() {
      log.info("inventory refreshed");
    }
  }

  static final class Shop extends Service {
    final Inventory inventory = addDependency(new Inventory());
  }

  /**
   * An ObservationRegistry whose observations become OpenTelemetry spans, exported by {@code
   * exporter} (in production: the OTLP exporter, batched).
   */
  static ObservationRegistry tracingRegistry(SdkTracerProvider provider) {
    OtelCurrentTraceContext context = new OtelCurrentTraceContext();
    OtelTracer tracer = new OtelTracer(
        provider.get("my-shop"), context, event -> {}, new OtelBaggageManager(context, List.of(), List.of()));
    ObservationRegistry registry = ObservationRegistry.create();
    registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
    return registry;
  }

  static SdkTracerProvider provider(SpanExporter exporter) {
    return SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  }

  public static void main(String[] args) {
    Shop shop = new Shop();
    try (SdkTracerProvider provider = provider(LoggingSpanExporter.create());
        ModeObservations.Installation tracing = ModeObservations.install(tracingRegistry(provider), shop)) {
      shop.start();          // spans "start Shop" > "start Shop/Inventory"
      shop.sleep(Duration.ofSeconds(5));
      shop.stop();           // spans "stop Shop" > "stop Shop/Inventory"; "timer Shop/Inventory refresh" per run
    }
  }
}
