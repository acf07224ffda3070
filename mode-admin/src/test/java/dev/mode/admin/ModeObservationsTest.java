package dev.mode.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mode.Service;
import dev.mode.ServiceException;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Lifecycle steps and timer runs as OpenTelemetry spans, through Micrometer's Observation API and the OTel bridge. */
class ModeObservationsTest {
  private static final AttributeKey<String> SERVICE = AttributeKey.stringKey("mode.service");
  private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");

  final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  final SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  final ObservationRegistry registry = ObservationRegistry.create();
  final Fixtures.App app = new Fixtures.App();
  ModeObservations.Installation tracing;

  @BeforeEach
  void bridgeObservationsToOpenTelemetry() {
    OtelCurrentTraceContext context = new OtelCurrentTraceContext();
    OtelTracer tracer = new OtelTracer(provider.get("mode-test"), context, event -> {}, new OtelBaggageManager(context, List.of(), List.of()));
    registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
    tracing = ModeObservations.install(registry, app);
  }

  @AfterEach
  void stop() {
    app.stop();
    tracing.close();
    provider.close();
  }

  @Test
  void aStartIsOneTraceWhoseSpansNestLikeTheTree() {
    app.start();

    SpanData root = span("start App");
    SpanData cache = span("start App/Cache");
    SpanData fetcher = span("start App/Fetcher");
    assertThat(root.getParentSpanContext().isValid()).as("the root's start has no parent").isFalse();
    assertThat(cache.getParentSpanId()).isEqualTo(root.getSpanId());
    assertThat(fetcher.getParentSpanId()).isEqualTo(root.getSpanId());
    assertThat(cache.getTraceId()).isEqualTo(root.getTraceId());
    assertThat(cache.getAttributes().get(SERVICE)).isEqualTo("App/Cache");
    assertThat(cache.getAttributes().get(OUTCOME)).isEqualTo("running");
    assertThat(root.getEndEpochNanos()).as("the parent's start ends after its children's").isGreaterThanOrEqualTo(cache.getEndEpochNanos());
  }

  @Test
  void aStopIsOneTraceWhoseSpansNestLikeTheTree() {
    app.start();
    app.stop();

    SpanData root = span("stop App");
    SpanData cache = span("stop App/Cache");
    assertThat(cache.getParentSpanId()).isEqualTo(root.getSpanId());
    assertThat(cache.getAttributes().get(OUTCOME)).isEqualTo("shutdown");
    assertThat(root.getTraceId()).isNotEqualTo(span("start App").getTraceId());
  }

  @Test
  void aFailedStartEndsItsSpanWithTheErrorAndCrashed() {
    Service broken = app.addDependency(new Service() {
      @Override
      public String label() {
        return "Broken";
      }

      @Override
      protected void onStart() {
        throw new IllegalStateException("no config");
      }
    });
    Assertions.assertThatThrownBy(app::start).isInstanceOf(ServiceException.class);

    SpanData span = span("start App/Broken");
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getAttributes().get(OUTCOME)).isEqualTo("crashed");
    assertThat(span.getEvents()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("exception"));
    assertThat(broken.crashReason()).isNotNull();
  }

  @Test
  void everyTimerRunIsASpanOfItsOwnAndAFailedRunCarriesItsError() {
    app.fetcher.addTimer("flaky", Duration.ofMillis(20), false, true, () -> {
      throw new IllegalStateException("upstream down");
    });
    app.start();
    await().until(() -> runs("timer App/Cache expire").size() >= 3 && !runs("timer App/Fetcher flaky").isEmpty());

    SpanData expire = runs("timer App/Cache expire").get(0);
    assertThat(expire.getParentSpanContext().isValid()).as("a run starts its own trace").isFalse();
    assertThat(expire.getAttributes().get(AttributeKey.stringKey("mode.job"))).isEqualTo("expire");
    assertThat(expire.getAttributes().get(AttributeKey.stringKey("mode.job.kind"))).isEqualTo("timer");
    assertThat(expire.getAttributes().get(AttributeKey.stringKey("mode.fire.time"))).isNotEmpty();
    assertThat(expire.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);

    SpanData flaky = runs("timer App/Fetcher flaky").get(0);
    assertThat(flaky.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(flaky.getStatus().getDescription()).contains("upstream down");
  }

  @Test
  void afterCloseNothingMoreIsObserved() {
    tracing.close();
    app.start();
    await().until(() -> app.cache.timers().get(0).runs() >= 2);
    assertThat(exporter.getFinishedSpanItems()).isEmpty();
  }

  @Test
  void runsOfAnotherTreeAreNotObserved() {
    Fixtures.App other = new Fixtures.App();
    other.start();
    try {
      await().until(() -> other.cache.timers().get(0).runs() >= 2);
      assertThat(exporter.getFinishedSpanItems()).isEmpty();
    } finally {
      other.stop();
    }
  }

  private SpanData span(String name) {
    Optional<SpanData> found = exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).findFirst();
    return found.orElseThrow(() -> new AssertionError("No span \"" + name + "\" among "
        + exporter.getFinishedSpanItems().stream().map(SpanData::getName).toList()));
  }

  private List<SpanData> runs(String name) {
    return exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
  }
}
