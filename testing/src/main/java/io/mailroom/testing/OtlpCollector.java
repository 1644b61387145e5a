package io.mailroom.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;

/**
 * An OpenTelemetry collector for tests: a real HTTP server on the loopback address that takes OTLP/HTTP
 * trace exports (protobuf, what the apps' span exporter sends to {@code /v1/traces}) and keeps their spans.
 * One per test JVM, started on first use; point an app at it with
 * {@code management.opentelemetry.tracing.export.otlp.endpoint = }{@link #tracesEndpoint()}.
 */
public final class OtlpCollector {

	private static OtlpCollector shared;

	private final HttpServer server;

	private final List<ExportedSpan> spans = new CopyOnWriteArrayList<>();

	/**
	 * A span as the collector received it.
	 *
	 * @param service the exporting app's {@code service.name}
	 * @param traceId 32 hex digits; {@code parentSpanId} is empty for a trace's root
	 * @param kind {@code SPAN_KIND_SERVER}, {@code SPAN_KIND_CLIENT}, …
	 * @param status {@code STATUS_CODE_UNSET}, {@code STATUS_CODE_OK} or {@code STATUS_CODE_ERROR}
	 * @param attributes every attribute, its value as text
	 */
	public record ExportedSpan(String service, String traceId, String spanId, String parentSpanId, String name,
			String kind, long startNanos, long endNanos, String status, Map<String, String> attributes) {

		public String attribute(String key) {
			return attributes.get(key);
		}

	}

	private OtlpCollector() throws IOException {
		server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		server.createContext("/v1/traces", this::receive);
		server.setExecutor(Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("otlp-collector").factory()));
		server.start();
	}

	/** The collector of this JVM, started on first use. */
	public static synchronized OtlpCollector shared() {
		if (shared == null) {
			try {
				shared = new OtlpCollector();
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not start the test OTLP collector", ex);
			}
		}
		return shared;
	}

	/** The URL an OTLP/HTTP span exporter posts to. */
	public String tracesEndpoint() {
		return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort() + "/v1/traces";
	}

	/** The spans of one trace received so far, in the order they arrived. */
	public List<ExportedSpan> trace(String traceId) {
		return spans.stream().filter(span -> span.traceId().equals(traceId)).toList();
	}

	/** Every span received so far. */
	public List<ExportedSpan> spans() {
		return List.copyOf(spans);
	}

	/** The one span of a trace with this name; fails when there is none or more than one. */
	public static ExportedSpan only(List<ExportedSpan> trace, String name) {
		List<ExportedSpan> named = trace.stream().filter(span -> span.name().equals(name)).toList();
		if (named.size() != 1) {
			throw new AssertionError("Expected one " + name + " span, found " + named.size() + " in " + trace);
		}
		return named.getFirst();
	}

	/** A random W3C trace id, as a producer makes one: 32 hex digits. */
	public static String newTraceId() {
		return randomHex(16);
	}

	/** A random W3C span id: 16 hex digits. */
	public static String newSpanId() {
		return randomHex(8);
	}

	private static String randomHex(int bytes) {
		byte[] random = new byte[bytes];
		ThreadLocalRandom.current().nextBytes(random);
		random[0] |= 1; // never all zeros, which W3C forbids
		return HexFormat.of().formatHex(random);
	}

	private void receive(HttpExchange exchange) throws IOException {
		try (exchange) {
			if (!"POST".equals(exchange.getRequestMethod())) {
				exchange.sendResponseHeaders(405, -1);
				return;
			}
			InputStream body = exchange.getRequestBody();
			if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
				body = new GZIPInputStream(body);
			}
			ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body.readAllBytes());
			for (ResourceSpans resource : request.getResourceSpansList()) {
				String service = text(resource.getResource().getAttributesList()).get("service.name");
				for (ScopeSpans scope : resource.getScopeSpansList()) {
					scope.getSpansList().forEach(span -> spans.add(new ExportedSpan(service,
							hex(span.getTraceId().toByteArray()), hex(span.getSpanId().toByteArray()),
							hex(span.getParentSpanId().toByteArray()), span.getName(), span.getKind().name(),
							span.getStartTimeUnixNano(), span.getEndTimeUnixNano(), span.getStatus().getCode().name(),
							text(span.getAttributesList()))));
				}
			}
			byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
			exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
			exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
			if (answer.length > 0) {
				exchange.getResponseBody().write(answer);
			}
		}
	}

	private static Map<String, String> text(List<KeyValue> attributes) {
		Map<String, String> text = new LinkedHashMap<>();
		attributes.forEach(attribute -> text.put(attribute.getKey(), text(attribute.getValue())));
		return text;
	}

	private static String text(AnyValue value) {
		return switch (value.getValueCase()) {
			case STRING_VALUE -> value.getStringValue();
			case INT_VALUE -> Long.toString(value.getIntValue());
			case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
			case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
			default -> value.toString();
		};
	}

	private static String hex(byte[] bytes) {
		return HexFormat.of().formatHex(bytes);
	}

}
