package io.mailroom.api.testemail;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import io.mailroom.api.audit.AuditAction;
import io.mailroom.api.audit.AuditLog;
import io.mailroom.api.deliveries.Delivery;
import io.mailroom.api.deliveries.DeliveryLog;
import io.mailroom.api.deliveries.DeliveryStatus;
import io.mailroom.api.web.Caller;
import io.mailroom.api.web.Conflict;
import io.mailroom.api.web.InvalidInput;
import io.mailroom.api.web.NotFound;
import io.mailroom.api.web.Problems;
import io.mailroom.contracts.MailroomJson;
import io.mailroom.contracts.Priority;
import io.mailroom.contracts.SendRequest;
import io.mailroom.contracts.SendResult;
import io.mailroom.contracts.Topics;
import io.mailroom.core.services.ServiceStatus;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.services.SmtpServices;
import io.mailroom.core.tracing.MailSpans;
import io.mailroom.core.tracing.TraceContexts;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Service;

/** Sends a test email through the pipeline and waits, boundedly, for the worker's outcome. */
@Service
class TestEmails {

	private static final Logger LOG = LoggerFactory.getLogger(TestEmails.class);

	/** The tag that marks test emails in the delivery log and on the result. */
	static final String TEST_TAG = "mailroom.test";

	private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

	private final SmtpServices services;

	private final DeliveryLog deliveries;

	private final SendResults results;

	private final KafkaTemplate<String, byte[]> kafka;

	private final AuditLog audit;

	private final TestEmailProperties properties;

	private final TraceContexts traces;

	private final Clock clock;

	TestEmails(SmtpServices services, DeliveryLog deliveries, SendResults results, KafkaTemplate<String, byte[]> kafka,
			AuditLog audit, TestEmailProperties properties, TraceContexts traces, Clock clock) {
		this.services = services;
		this.deliveries = deliveries;
		this.results = results;
		this.kafka = kafka;
		this.audit = audit;
		this.properties = properties;
		this.traces = traces;
		this.clock = clock;
	}

	TestEmailResult send(Caller caller, UUID serviceId, String recipient) throws InterruptedException {
		SmtpService service = services.findOwned(caller.accountId(), serviceId)
			.orElseThrow(() -> new NotFound("SMTP service", serviceId));
		String to = recipient == null ? null : recipient.strip();
		if (to == null || to.isEmpty() || to.length() > 254 || !EMAIL.matcher(to).matches()) {
			throw new InvalidInput("recipient", "must be an email address such as name@contoso.com; Microsoft 365 "
					+ "delivers test mail only inside your organization (or to valid Microsoft addresses for a "
					+ "multi-tenant app)");
		}
		requireReady(service);
		Instant now = clock.instant();
		SendRequest request = SendRequest.builder(caller.accountId(), serviceId)
			.priority(Priority.TRANSACTIONAL)
			.to(to)
			.subject("Mailroom test email: " + service.name())
			.text("This is a test email from Mailroom, sent through the SMTP service \"" + service.name() + "\" as "
					+ service.fromAddress() + " at " + now.truncatedTo(ChronoUnit.SECONDS) + ".\r\n\r\n"
					+ "If you can read it, the service can send mail.\r\n")
			.expiresAt(now.plus(properties.expiresAfter()))
			.tag(TEST_TAG, "true")
			.build();
		CompletableFuture<SendResult> result = results.expect(request.requestId());
		try {
			publish(request);
			audit.record(caller, AuditAction.TEST_EMAIL_SENT, serviceId,
					Map.of("requestId", request.requestId().toString(), "recipient", to));
			LOG.info("Test email {} of service {} published for {}", request.requestId(), serviceId, caller.actor());
			return await(caller.accountId(), request.requestId(), to, result);
		}
		finally {
			results.forget(request.requestId());
		}
	}

	private void requireReady(SmtpService service) {
		if (service.status() == ServiceStatus.AUTHORIZED) {
			return;
		}
		var reason = service.statusReason();
		String detail = switch (service.status()) {
			case NOT_AUTHORIZED -> "Authorize the service first: click Authorize and sign in to Microsoft as "
					+ service.authentication().login() + "."
					+ (reason == null ? "" : " The last attempt failed: " + reason.message());
			case NEEDS_REAUTHORIZATION -> "Microsoft no longer honours this service's authorization"
					+ (reason == null ? "." : ": " + reason.message()) + " Authorize the service again.";
			case CONFIGURATION_ERROR -> "The service or its Microsoft setup needs fixing"
					+ (reason == null ? "." : ": " + reason.message() + " " + reason.hint());
			case AUTHORIZED -> throw new IllegalStateException();
		};
		throw new Conflict(Problems.CONFLICT, "Service not ready to send", detail, reason);
	}

	private void publish(SendRequest request) throws InterruptedException {
		// a child of the HTTP request's span: that trace goes on through the worker to the result, as a producer's
		Tracer tracer = traces.tracer();
		Span span = TraceContexts.onTopic(tracer.spanBuilder().name(MailSpans.TEST_EMAIL), Span.Kind.PRODUCER,
				Topics.SEND_REQUESTS)
			.tag(MailSpans.REQUEST_ID, request.requestId().toString())
			.tag(MailSpans.SERVICE_ID, request.serviceId().toString())
			.start();
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.SEND_REQUESTS,
				request.serviceId().toString(), MailroomJson.mapper().writeValueAsBytes(request));
		traces.handOn(span, record.headers());
		try (Tracer.SpanInScope inLogs = tracer.withSpan(span)) {
			LOG.info("Publishing test email {} of service {}", request.requestId(), request.serviceId());
			kafka.send(record).get(10, TimeUnit.SECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			TraceContexts.failed(span, "NOT_PUBLISHED");
			throw new IllegalStateException("Could not publish test email " + request.requestId(), ex);
		}
		finally {
			span.end();
		}
	}

	/**
	 * Waits for the result on the bus, and meanwhile watches the delivery row: held mail never gets a result
	 * until it is released or expires, and a result published before this instance's consumer joined is still
	 * in the row.
	 */
	private TestEmailResult await(String accountId, UUID requestId, String recipient,
			CompletableFuture<SendResult> result) throws InterruptedException {
		Instant deadline = clock.instant().plus(properties.answerWithin());
		while (true) {
			Duration left = Duration.between(clock.instant(), deadline);
			if (left.isNegative() || left.isZero()) {
				LOG.info("Test email {} has no outcome yet; the caller polls", requestId);
				return new TestEmailResult(requestId, "PENDING", recipient, null, null, null, null);
			}
			try {
				SendResult outcome = result.get(Math.min(left.toMillis(), properties.pollInterval().toMillis()),
						TimeUnit.MILLISECONDS);
				LOG.info("Test email {} ended {}", requestId, outcome.status());
				return new TestEmailResult(requestId, outcome.status().name(), recipient, outcome.attempts(),
						outcome.messageId(), outcome.smtpReply(), outcome.error());
			}
			catch (TimeoutException ex) {
				Optional<Delivery> row = deliveries.find(accountId, requestId)
					.filter(delivery -> delivery.status() == DeliveryStatus.HELD || delivery.status().isFinal());
				if (row.isPresent()) {
					Delivery delivery = row.get();
					LOG.info("Test email {} is {}", requestId, delivery.status());
					return new TestEmailResult(requestId, delivery.status().name(), recipient, delivery.attempts(),
							delivery.messageId(), delivery.smtpReply(), delivery.error());
				}
			}
			catch (ExecutionException ex) {
				throw new IllegalStateException("Waiting for test email " + requestId + " failed", ex);
			}
		}
	}

}
