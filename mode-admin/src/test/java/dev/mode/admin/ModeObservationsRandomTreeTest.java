package dev.mode.admin;

import dev.mode.worker.ServicePaths;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mode.Service;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * For random trees and random restarts and stops of subtrees: every start and stop span nests under
 * its parent service's span of the same kind when the parent was starting (stopping) too, and is a
 * root span otherwise; and every start and stop is one span, none left open.
 */
class ModeObservationsRandomTreeTest {
  private static final int RESTARTS = 5;

  static final class Node extends Service {
    private final String name;

    Node(String name) {
      this.name = name;
    }

    @Override
    public String label() {
      return name;
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
  void spansNestLikeTheTreeWhateverTheTreeAndTheOrderOfRestarts(long seed) {
    Random random = new Random(seed);
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    OtelCurrentTraceContext context = new OtelCurrentTraceContext();
    OtelTracer tracer = new OtelTracer(provider.get("t"), context, e -> {}, new OtelBaggageManager(context, List.of(), List.of()));
    ObservationRegistry registry = ObservationRegistry.create();
    registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));

    Node root = new Node("R");
    List<Node> all = new ArrayList<>(List.of(root));
    int size = 2 + random.nextInt(25);
    for (int i = 1; i < size; i++) all.add(all.get(random.nextInt(all.size())).addDependency(new Node("N" + i)));
    Map<String, Integer> starts = new HashMap<>();
    Map<String, Integer> stops = new HashMap<>();

    try (ModeObservations.Installation tracing = ModeObservations.install(registry, root)) {
      root.start();
      all.forEach(n -> starts.merge(n.path(), 1, Integer::sum));
      for (int step = 0; step < RESTARTS; step++) {
        Node n = all.get(random.nextInt(all.size()));
        List<Node> subtree = all.stream().filter(x -> ServicePaths.isWithin(x, n)).toList();
        n.restart();
        subtree.forEach(x -> {
          stops.merge(x.path(), 1, Integer::sum);
          starts.merge(x.path(), 1, Integer::sum);
        });
      }
      root.stop();
      all.forEach(n -> stops.merge(n.path(), 1, Integer::sum));
    }
    // read before closing the provider: closing the in-memory exporter empties it
    List<SpanData> spans = exporter.getFinishedSpanItems();
    provider.close();

    String why = "seed " + seed + ", tree " + all.stream().map(Service::path).toList();
    Map<String, SpanData> byId = spans.stream().collect(Collectors.toMap(SpanData::getSpanId, s -> s));
    assertThat(count(spans, "start ")).as(why).isEqualTo(starts);
    assertThat(count(spans, "stop ")).as(why).isEqualTo(stops);
    // one trace per operation: the first start, each restart's stop and start, the last stop
    assertThat(spans.stream().filter(s -> !s.getParentSpanContext().isValid() && s.getName().startsWith("start ")))
        .as(why).hasSize(1 + RESTARTS);
    assertThat(spans.stream().filter(s -> !s.getParentSpanContext().isValid() && s.getName().startsWith("stop ")))
        .as(why).hasSize(RESTARTS + 1);
    for (SpanData s : spans) {
      String verb = s.getName().substring(0, s.getName().indexOf(' ') + 1);
      String path = s.getName().substring(verb.length());
      if (!s.getParentSpanContext().isValid()) continue; // a root span: the tree's root, or the top of a restart
      SpanData parent = byId.get(s.getParentSpanId());
      assertThat(parent).as(why + ": parent of " + s.getName()).isNotNull();
      assertThat(parent.getName()).as(why).isEqualTo(verb + path.substring(0, path.lastIndexOf('/')));
      assertThat(parent.getTraceId()).as(why).isEqualTo(s.getTraceId());
    }
  }

  private static Map<String, Integer> count(List<SpanData> spans, String verb) {
    Map<String, Integer> out = new HashMap<>();
    for (SpanData s : spans) if (s.getName().startsWith(verb)) out.merge(s.getName().substring(verb.length()), 1, Integer::sum);
    return out;
  }
}
