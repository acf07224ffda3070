package dev.mode.examples.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mode.admin.ModeObservations;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The tracing example as docs/admin.md shows it: the shop's start is a trace with the tree's shape. */
class TracingExampleTest {

  /** Keeps what it is given. */
  static final class Recording implements SpanExporter {
    final List<SpanData> spans = new CopyOnWriteArrayList<>();

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      spans.addAll(batch);
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  @Test
  void theInventorysStartSpanIsAChildOfTheShops() {
    Recording exporter = new Recording();
    TracingExample.Shop shop = new TracingExample.Shop();
    try (SdkTracerProvider provider = TracingExample.provider(exporter);
        ModeObservations.Installation tracing = ModeObservations.install(TracingExample.tracingRegistry(provider), shop)) {
      shop.start();
      shop.stop();
    }
    SpanData shopStart = named(exporter, "start Shop");
    SpanData inventoryStart = named(exporter, "start Shop/Inventory");
    assertThat(inventoryStart.getParentSpanId()).isEqualTo(shopStart.getSpanId());
    assertThat(named(exporter, "stop Shop/Inventory").getParentSpanId()).isEqualTo(named(exporter, "stop Shop").getSpanId());
  }

  private static SpanData named(Recording exporter, String name) {
    return exporter.spans.stream().filter(s -> s.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("No span " + name + " in " + exporter.spans));
  }
}
