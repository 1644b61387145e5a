package io.mailroom.worker;

import java.nio.charset.StandardCharsets;
import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mailroom.contracts.MailroomJson;
import io.mailroom.contracts.SendRequest;
import io.mailroom.contracts.SendStatus;
import io.mailroom.contracts.Topics;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.tracing.MailSpans;
import io.mailroom.sandbox.Scenario;
import io.mailroom.testing.OtlpCollector;
import io.mailroom.testing.OtlpCollector.ExportedSpan;
import io.mailroom.worker.delivery.SmtpDelivery;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static io.mailroom.testing.OtlpCollector.only;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A mail's trace, as the worker exports it over OTLP to a real collector: it continues the producer's
 * trace, holds one span per stage, and goes on with the result.
 */
class TracingIntegrationTest extends WorkerIntegrationTest {

	private static final OtlpCollector collector = OtlpCollector.shared();

	@Test
	void aMailsSpansContinueTheProducersTraceAndTheResultHandsItOn() {
		SmtpService service = authorizedService();
		SendRequest request = mail(service).build();
		String traceId = OtlpCollector.newTraceId();
		String producerSpan = OtlpCollector.newSpanId();

		publish(request, "00-" + traceId + "-" + producerSpan + "-01");
		assertThat(awaitResult(request.requestId()).status()).isEqualTo(SendStatus.SENT);

		List<ExportedSpan> trace = awaitSpans(traceId, MailSpans.INTAKE, MailSpans.QUEUE_WAIT, MailSpans.DISPATCH_WAIT,
				MailSpans.SEND, MailSpans.TOKEN, MailSpans.RESULT_PUBLISH);
		assertThat(trace).extracting(ExportedSpan::service).containsOnly("mailroom-worker");
		ExportedSpan intake = only(trace, MailSpans.INTAKE);
		assertThat(intake.parentSpanId()).isEqualTo(producerSpan);
		assertThat(intake.kind()).isEqualTo("SPAN_KIND_CONSUMER");
		assertThat(intake.attributes()).containsEntry(MailSpans.REQUEST_ID, request.requestId().toString())
			.containsEntry(MailSpans.SERVICE_ID, service.id().toString())
			.containsEntry(MailSpans.INTAKE_OUTCOME, "queued")
			.containsEntry(MailSpans.MESSAGING_DESTINATION, Topics.SEND_REQUESTS);
		for (String child : List.of(MailSpans.QUEUE_WAIT, MailSpans.DISPATCH_WAIT, MailSpans.SEND,
				MailSpans.RESULT_PUBLISH)) {
			assertThat(only(trace, child).parentSpanId()).as(child + "'s parent").isEqualTo(intake.spanId());
		}
		ExportedSpan queueWait = only(trace, MailSpans.QUEUE_WAIT);
		ExportedSpan dispatchWait = only(trace, MailSpans.DISPATCH_WAIT);
		ExportedSpan send = only(trace, MailSpans.SEND);
		assertThat(queueWait.startNanos()).isGreaterThanOrEqualTo(intake.startNanos());
		assertThat(queueWait.endNanos()).isEqualTo(dispatchWait.startNanos());
		assertThat(dispatchWait.endNanos()).isLessThanOrEqualTo(send.startNanos());
		assertThat(send.kind()).isEqualTo("SPAN_KIND_CLIENT");
		assertThat(send.status()).isEqualTo("STATUS_CODE_UNSET");
		assertThat(send.attributes()).containsEntry(MailSpans.OUTCOME, "sent")
			.containsEntry(MailSpans.SMTP_REPLY_CODE, "250")
			.containsEntry(MailSpans.ATTEMPT, "1")
			.containsEntry(MailSpans.SERVER_ADDRESS, service.host());
		ExportedSpan token = only(trace, MailSpans.TOKEN);
		assertThat(token.parentSpanId()).isEqualTo(send.spanId());
		assertThat(token.attribute(MailSpans.TOKEN_SOURCE)).isEqualTo("msal_cache");
		ExportedSpan published = only(trace, MailSpans.RESULT_PUBLISH);
		assertThat(published.kind()).isEqualTo("SPAN_KIND_PRODUCER");
		assertThat(published.attribute(MailSpans.RESULT_STATUS)).isEqualTo("SENT");
		assertThat(traceparentOfResult(request)).isEqualTo("00-" + traceId + "-" + published.spanId() + "-01");
		assertThat(trace).flatExtracting(span -> span.attributes().values())
			.as("no address, subject or text in any attribute")
			.noneMatch(value -> value.contains("@") || value.contains(request.subject())
					|| value.contains("123456"));
	}

	@Test
	void aRetryIsAnotherSendSpanOfTheSameTraceAndTheLogsCarryItsTraceId() {
		SmtpService service = authorizedService();
		SendRequest request = mail(service).build();
		String traceId = OtlpCollector.newTraceId();
		ListAppender<ILoggingEvent> logs = sentOnSecondAttempt(request,
				"00-" + traceId + "-" + OtlpCollector.newSpanId() + "-01");

		List<ExportedSpan> trace = await().until(() -> collector.trace(traceId),
				spans -> spans.stream().filter(span -> span.name().equals(MailSpans.SEND)).count() == 2
						&& spans.stream().anyMatch(span -> span.name().equals(MailSpans.RESULT_PUBLISH)));
		List<ExportedSpan> sends = trace.stream()
			.filter(span -> span.name().equals(MailSpans.SEND))
			.sorted(java.util.Comparator.comparing(span -> span.attribute(MailSpans.ATTEMPT)))
			.toList();
		String intake = only(trace, MailSpans.INTAKE).spanId();
		assertThat(sends).extracting(ExportedSpan::parentSpanId).containsOnly(intake);
		ExportedSpan first = sends.get(0);
		assertThat(first.attributes()).containsEntry(MailSpans.ATTEMPT, "1")
			.containsEntry(MailSpans.OUTCOME, "retry")
			.containsEntry(MailSpans.SMTP_REPLY_CODE, "451")
			.containsEntry(MailSpans.SMTP_ENHANCED_CODE, "4.7.0")
			.containsEntry(MailSpans.FAILURE_STAGE, "transport");
		assertThat(first.status()).isEqualTo("STATUS_CODE_ERROR");
		assertThat(sends.get(1).attributes()).containsEntry(MailSpans.ATTEMPT, "2")
			.containsEntry(MailSpans.OUTCOME, "sent");
		assertThat(trace.stream().filter(span -> span.name().equals(MailSpans.QUEUE_WAIT)))
			.extracting(span -> span.attribute(MailSpans.ATTEMPT))
			.containsExactlyInAnyOrder("1", "2");
		ILoggingEvent notSent = logs.list.stream()
			.filter(event -> event.getFormattedMessage().contains(request.requestId() + " of service"))
			.findFirst()
			.orElseThrow();
		assertThat(notSent.getMDCPropertyMap()).containsEntry("traceId", traceId)
			.containsEntry("spanId", first.spanId());
	}

	@Test
	void aTraceTheProducerDidNotSampleIsHandedOnAndLoggedButNothingOfItIsExported() {
		SmtpService service = authorizedService();
		SendRequest unsampled = mail(service).build();
		String traceId = OtlpCollector.newTraceId();
		ListAppender<ILoggingEvent> logs = sentOnSecondAttempt(unsampled,
				"00-" + traceId + "-" + OtlpCollector.newSpanId() + "-00");
		assertThat(traceparentOfResult(unsampled)).startsWith("00-" + traceId + "-").endsWith("-00");
		assertThat(logs.list).filteredOn(event -> event.getFormattedMessage().contains(unsampled.requestId().toString()))
			.isNotEmpty()
			.allSatisfy(event -> assertThat(event.getMDCPropertyMap()).containsEntry("traceId", traceId));

		// spans are exported in the order they end: once a later sampled mail's are in, the unsampled
		// mail's would have been too
		SendRequest sampled = mail(service).build();
		String sampledTrace = OtlpCollector.newTraceId();
		publish(sampled, "00-" + sampledTrace + "-" + OtlpCollector.newSpanId() + "-01");
		awaitResult(sampled.requestId());
		awaitSpans(sampledTrace, MailSpans.INTAKE, MailSpans.QUEUE_WAIT, MailSpans.SEND, MailSpans.RESULT_PUBLISH);
		assertThat(collector.trace(traceId)).isEmpty();
	}

	@Test
	void aRequestWithoutTraceContextStartsATraceThatItsResultCarries() {
		SmtpService service = authorizedService();
		SendRequest request = mail(service).build();

		publish(request);
		awaitResult(request.requestId());

		String traceparent = traceparentOfResult(request);
		assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
		String traceId = traceparent.substring(3, 35);
		List<ExportedSpan> trace = awaitSpans(traceId, MailSpans.INTAKE, MailSpans.SEND, MailSpans.RESULT_PUBLISH);
		assertThat(only(trace, MailSpans.INTAKE).parentSpanId()).as("the intake span is the trace's root").isEmpty();
		assertThat(traceparent).endsWith(only(trace, MailSpans.RESULT_PUBLISH).spanId() + "-01");
	}

	@Test
	void aMalformedTraceparentStartsATraceAndTheMailIsSent() {
		SmtpService service = authorizedService();
		SendRequest request = mail(service).build();

		publish(request, "00-not-a-trace-01");

		assertThat(awaitResult(request.requestId()).status()).isEqualTo(SendStatus.SENT);
		assertThat(traceparentOfResult(request)).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
	}

	private void publish(SendRequest request, String traceparent) {
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.SEND_REQUESTS,
				request.serviceId().toString(), MailroomJson.mapper().writeValueAsBytes(request));
		record.headers().add("traceparent", traceparent.getBytes(StandardCharsets.US_ASCII));
		kafka.send(record).join();
	}

	private static List<ExportedSpan> awaitSpans(String traceId, String... names) {
		return await().until(() -> collector.trace(traceId),
				spans -> spans.stream().map(ExportedSpan::name).toList().containsAll(List.of(names)));
	}

	private static String traceparentOfResult(SendRequest request) {
		ConsumerRecord<String, byte[]> result = results.records()
			.stream()
			.filter(r -> request.requestId().toString().equals(r.key()))
			.findFirst()
			.orElseThrow();
		return new String(result.headers().lastHeader("traceparent").value(), StandardCharsets.US_ASCII);
	}

	/**
	 * Publishes a request whose first attempt meets a transient failure and awaits its result; returns what
	 * delivery logged meanwhile.
	 */
	private ListAppender<ILoggingEvent> sentOnSecondAttempt(SendRequest request, String traceparent) {
		ListAppender<ILoggingEvent> logs = capture(SmtpDelivery.class);
		Scenario failure = microsoft().scenarios().transientFailures(1);
		try {
			publish(request, traceparent);
			assertThat(awaitResult(request.requestId()).attempts()).isEqualTo(2);
		}
		finally {
			failure.clear();
			((Logger) LoggerFactory.getLogger(SmtpDelivery.class)).detachAppender(logs);
		}
		return logs;
	}

	private static ListAppender<ILoggingEvent> capture(Class<?> type) {
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.start();
		((Logger) LoggerFactory.getLogger(type)).addAppender(appender);
		return appender;
	}

}
