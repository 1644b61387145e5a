package io.mailroom.core.tracing;

import java.nio.charset.StandardCharsets;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Where a mail's trace context lives between spans: a Kafka record's headers (W3C Trace Context, as
 * producers send it) and the {@code traceparent} stored with the request. Spans themselves are made with
 * {@link #tracer()}; this only reads and writes their context, with the application's propagator, so no
 * header is parsed by hand.
 */
@Component
public class TraceContexts {

	/** The W3C Trace Context header, and the delivery column holding the same value. */
	public static final String TRACEPARENT = "traceparent";

	private static final Propagator.Getter<Headers> HEADERS = (headers, key) -> {
		Header header = headers.lastHeader(key);
		return header == null || header.value() == null ? null
				: new String(header.value(), StandardCharsets.US_ASCII);
	};

	private final Tracer tracer;

	private final Propagator propagator;

	@Autowired
	public TraceContexts(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
		this(tracer.getIfAvailable(() -> Tracer.NOOP), propagator.getIfAvailable(() -> Propagator.NOOP));
	}

	public TraceContexts(Tracer tracer, Propagator propagator) {
		this.tracer = tracer;
		this.propagator = propagator;
	}

	public Tracer tracer() {
		return tracer;
	}

	/**
	 * A span continuing the trace a record's headers carry; a new trace when they carry none, or one that
	 * cannot be read (called outside any span, as intake is).
	 */
	public Span.Builder continuing(Headers headers) {
		if (headers.lastHeader(TRACEPARENT) == null) {
			return tracer.spanBuilder().setNoParent();
		}
		return propagator.extract(headers, HEADERS);
	}

	/** A span continuing a stored {@code traceparent}; a new trace when there is none. */
	public Span.Builder continuing(String traceparent) {
		if (traceparent == null) {
			return tracer.spanBuilder().setNoParent();
		}
		return propagator.extract(traceparent, (value, key) -> TRACEPARENT.equals(key) ? value : null);
	}

	/** The {@code traceparent} naming a span, to store with its request; null without tracing. */
	public String traceparent(Span span) {
		String[] traceparent = new String[1];
		propagator.inject(span.context(), traceparent, (carrier, key, value) -> {
			if (TRACEPARENT.equals(key)) {
				carrier[0] = value;
			}
		});
		return traceparent[0];
	}

	/** Hands a span's trace on in a record's headers, replacing any trace context they had. */
	public void handOn(Span span, Headers headers) {
		propagator.inject(span.context(), headers, (carrier, key, value) -> {
			carrier.remove(key);
			carrier.add(key, value.getBytes(StandardCharsets.US_ASCII));
		});
	}

	/** A span about a record on a Kafka topic: its kind (consumer or producer), the system and the topic. */
	public static Span.Builder onTopic(Span.Builder span, Span.Kind kind, String topic) {
		return span.kind(kind).tag(MailSpans.MESSAGING_SYSTEM, "kafka").tag(MailSpans.MESSAGING_DESTINATION, topic);
	}

	/**
	 * Marks a span as failed with a code of Mailroom's catalogue (never a message, which may quote an
	 * address or a server's text).
	 */
	public static void failed(Span span, String code) {
		span.tag(MailSpans.ERROR_TYPE, code);
		span.error(new Failed(code));
	}

	/** Gives a span's error status its code; carries no stack trace, since it is never thrown. */
	private static final class Failed extends RuntimeException {

		Failed(String code) {
			super(code, null, false, false);
		}

	}

}
