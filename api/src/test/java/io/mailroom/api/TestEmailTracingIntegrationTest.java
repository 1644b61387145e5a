package io.mailroom.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import io.mailroom.core.sandbox.TestMicrosoft;
import io.mailroom.core.tracing.MailSpans;
import io.mailroom.testing.OtlpCollector;
import io.mailroom.testing.OtlpCollector.ExportedSpan;
import org.junit.jupiter.api.Test;

import static io.mailroom.testing.OtlpCollector.only;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A test email's trace runs from the api's HTTP request through the worker to the result: both apps
 * export their spans to a real OTLP collector, and they make one trace.
 */
class TestEmailTracingIntegrationTest extends ApiIntegrationTest {

	private static final OtlpCollector collector = OtlpCollector.shared();

	@Test
	void aTestEmailContinuesTheCallersTraceThroughTheWorkerToItsResult() {
		String traceId = OtlpCollector.newTraceId();
		String callerSpan = OtlpCollector.newSpanId();
		ApiClient admin = newAdmin();
		TestMicrosoft.Mailbox mailbox = newMailbox();
		String id = createAuthorized(admin, mailbox);

		ApiClient.Response tested = admin.with("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
			.post("/api/smtp-services/" + id + "/test-email", Map.of("recipient", mailbox.upn()));

		assertThat(tested.status()).as(tested.toString()).isEqualTo(200);
		// the HTTP request's span ends after the response was written, so it may be exported after the others
		List<ExportedSpan> trace = awaitTrace(traceId, span -> isRequestOf(span, callerSpan));
		ExportedSpan request = trace.stream().filter(span -> isRequestOf(span, callerSpan)).findFirst().orElseThrow();
		assertThat(request.service()).isEqualTo("mailroom-api");
		ExportedSpan testEmail = only(trace, MailSpans.TEST_EMAIL);
		assertThat(testEmail.service()).isEqualTo("mailroom-api");
		assertThat(testEmail.attribute(MailSpans.REQUEST_ID)).isEqualTo(tested.json().path("requestId").asString());
		assertThat(ancestors(trace, testEmail)).as("the test email is part of the HTTP request").contains(request);
		ExportedSpan intake = only(trace, MailSpans.INTAKE);
		assertThat(intake.service()).isEqualTo("mailroom-worker");
		assertThat(intake.parentSpanId()).isEqualTo(testEmail.spanId());
		assertThat(only(trace, MailSpans.SEND).attribute(MailSpans.OUTCOME)).isEqualTo("sent");
		assertThat(only(trace, MailSpans.RESULT_PUBLISH).parentSpanId()).isEqualTo(intake.spanId());
	}

	@Test
	void aTestEmailWithoutACallersTraceStartsOne() {
		ApiClient admin = newAdmin();
		TestMicrosoft.Mailbox mailbox = newMailbox();
		String id = createAuthorized(admin, mailbox);

		String requestId = admin.post("/api/smtp-services/" + id + "/test-email", Map.of("recipient", mailbox.upn()))
			.json()
			.path("requestId")
			.asString();

		ExportedSpan testEmail = await().until(() -> collector.spans()
			.stream()
			.filter(span -> span.name().equals(MailSpans.TEST_EMAIL)
					&& requestId.equals(span.attribute(MailSpans.REQUEST_ID)))
			.findFirst(), Optional::isPresent).orElseThrow();
		List<ExportedSpan> trace = awaitTrace(testEmail.traceId());
		assertThat(only(trace, MailSpans.INTAKE).parentSpanId()).isEqualTo(testEmail.spanId());
	}

	private static boolean isRequestOf(ExportedSpan span, String callerSpan) {
		return span.kind().equals("SPAN_KIND_SERVER") && span.parentSpanId().equals(callerSpan);
	}

	private static List<ExportedSpan> awaitTrace(String traceId) {
		return awaitTrace(traceId, span -> true);
	}

	/** The trace once it holds the mail's spans and one that {@code also} matches. */
	private static List<ExportedSpan> awaitTrace(String traceId, Predicate<ExportedSpan> also) {
		return await().until(() -> collector.trace(traceId),
				spans -> spans.stream().map(ExportedSpan::name).toList().containsAll(
						List.of(MailSpans.TEST_EMAIL, MailSpans.INTAKE, MailSpans.SEND, MailSpans.RESULT_PUBLISH))
						&& spans.stream().anyMatch(also));
	}

	/** The span's parent, its parent's parent, … as far as they are in the trace. */
	private static List<ExportedSpan> ancestors(List<ExportedSpan> trace, ExportedSpan span) {
		List<ExportedSpan> ancestors = new java.util.ArrayList<>();
		for (Optional<ExportedSpan> parent = parentOf(trace, span); parent.isPresent();
				parent = parentOf(trace, parent.get())) {
			ancestors.add(parent.get());
		}
		return ancestors;
	}

	private static Optional<ExportedSpan> parentOf(List<ExportedSpan> trace, ExportedSpan span) {
		return trace.stream().filter(candidate -> candidate.spanId().equals(span.parentSpanId())).findFirst();
	}

}
