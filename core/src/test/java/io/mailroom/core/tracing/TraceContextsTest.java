package io.mailroom.core.tracing;

import java.nio.charset.StandardCharsets;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** Trace contexts travel through record headers and the stored traceparent with the apps' own tracer. */
class TraceContextsTest {

	private static final String PRODUCER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

	private static final String PRODUCER_SPAN = "00f067aa0ba902b7";

	private final ApplicationContextRunner apps = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OpenTelemetrySdkAutoConfiguration.class,
				OpenTelemetryTracingAutoConfiguration.class, OtlpTracingAutoConfiguration.class))
		.withBean(TraceContexts.class);

	@Test
	void nothingIsExportedUntilAnOtlpEndpointIsSet() {
		apps.run(context -> assertThat(context.getBeansOfType(SpanExporter.class)).isEmpty());
		apps.withPropertyValues("management.opentelemetry.tracing.export.otlp.endpoint=http://127.0.0.1:4318/v1/traces")
			.run(context -> assertThat(context.getBeansOfType(SpanExporter.class).values()).singleElement()
				.isInstanceOf(OtlpHttpSpanExporter.class));
	}

	@Test
	void aSpanContinuesTheProducersTraceAndItsStoredContextParentsTheNextOne() {
		apps.run(context -> {
			TraceContexts traces = context.getBean(TraceContexts.class);
			Span intake = traces.continuing(headers("00-" + PRODUCER_TRACE + "-" + PRODUCER_SPAN + "-01")).start();
			String stored = traces.traceparent(intake);
			intake.end();

			assertThat(intake.context().traceId()).isEqualTo(PRODUCER_TRACE);
			assertThat(intake.context().parentId()).isEqualTo(PRODUCER_SPAN);
			assertThat(stored).isEqualTo("00-" + PRODUCER_TRACE + "-" + intake.context().spanId() + "-01");
			Span publish = traces.continuing(stored).start();
			Headers result = new RecordHeaders();
			traces.handOn(publish, result);
			publish.end();
			assertThat(publish.context().traceId()).isEqualTo(PRODUCER_TRACE);
			assertThat(publish.context().parentId()).isEqualTo(intake.context().spanId());
			assertThat(header(result)).isEqualTo("00-" + PRODUCER_TRACE + "-" + publish.context().spanId() + "-01");
		});
	}

	@Test
	void theProducersSamplingDecisionIsKept() {
		apps.withPropertyValues("management.tracing.sampling.probability=1.0").run(context -> {
			TraceContexts traces = context.getBean(TraceContexts.class);
			Span unsampled = traces.continuing(headers("00-" + PRODUCER_TRACE + "-" + PRODUCER_SPAN + "-00")).start();

			assertThat(traces.traceparent(unsampled)).endsWith("-00");
			assertThat(unsampled.context().traceId()).as("logs still carry the trace").isEqualTo(PRODUCER_TRACE);
		});
	}

	@Test
	void withoutATraceContextOrWithAMalformedOneASpanStartsANewTrace() {
		apps.run(context -> {
			TraceContexts traces = context.getBean(TraceContexts.class);
			Tracer tracer = context.getBean(Tracer.class);
			Span outer = tracer.nextSpan().start();
			try (Tracer.SpanInScope scope = tracer.withSpan(outer)) {
				for (Span span : new Span[] { traces.continuing(new RecordHeaders()).start(),
						traces.continuing((String) null).start() }) {
					assertThat(span.context().traceId()).isNotEqualTo(outer.context().traceId());
					assertThat(span.context().parentId()).isNull();
				}
			}
			Span malformed = traces.continuing(headers("00-" + PRODUCER_TRACE + "-not-a-span-01")).start();
			assertThat(malformed.context().traceId()).matches("[0-9a-f]{32}").isNotEqualTo(PRODUCER_TRACE);
		});
	}

	@Test
	void withoutATracerNothingIsPropagatedAndNothingFails() {
		TraceContexts none = new TraceContexts(Tracer.NOOP, Propagator.NOOP);
		Span span = none.continuing(headers("00-" + PRODUCER_TRACE + "-" + PRODUCER_SPAN + "-01")).start();
		Headers result = new RecordHeaders();
		none.handOn(span, result);

		assertThat(none.traceparent(span)).isNull();
		assertThat(result.lastHeader(TraceContexts.TRACEPARENT)).isNull();
	}

	private static Headers headers(String traceparent) {
		Headers headers = new RecordHeaders();
		headers.add(TraceContexts.TRACEPARENT, traceparent.getBytes(StandardCharsets.US_ASCII));
		return headers;
	}

	private static String header(Headers headers) {
		return new String(headers.lastHeader(TraceContexts.TRACEPARENT).value(), StandardCharsets.US_ASCII);
	}

}
