package io.mailroom.core.tracing;

/**
 * The names of Mailroom's spans and of their attributes (ADR 0014, README "Tracing"). A trace of one
 * request:
 *
 * <pre>
 * producer's span (or {@value #TEST_EMAIL} in the api)
 * └─ {@value #INTAKE}                 stored with the request
 *    ├─ {@value #QUEUE_WAIT}          due → claimed by a mailbox runtime, for every attempt
 *    ├─ {@value #DISPATCH_WAIT}       claimed → sending (permits, sessions)
 *    ├─ {@value #SEND}                one per attempt
 *    │  └─ {@value #TOKEN}            when the token was not in the worker's memory
 *    └─ {@value #RESULT_PUBLISH}      its context is the result's traceparent
 * </pre>
 */
public final class MailSpans {

	/** The api publishes a test email (a child of the HTTP request's span). */
	public static final String TEST_EMAIL = "mailroom.test-email";

	/** The worker reads, checks and stores a request. */
	public static final String INTAKE = "mailroom.intake";

	/** From when the mail was due (stored, its notBefore, or its retry time) until a mailbox runtime claimed it. */
	public static final String QUEUE_WAIT = "mailroom.queue.wait";

	/** From the claim until the send starts: the runtime waits for the minute's permits and a free session. */
	public static final String DISPATCH_WAIT = "mailroom.dispatch.wait";

	/** One delivery attempt: token, connection, SMTP transaction. */
	public static final String SEND = "mailroom.send";

	/** Getting an access token that was not in the worker's memory: the stored cache or the identity platform. */
	public static final String TOKEN = "mailroom.token";

	/** Publishing the request's result on {@code mail.send-results}. */
	public static final String RESULT_PUBLISH = "mailroom.result.publish";

	public static final String REQUEST_ID = "mailroom.request_id";

	public static final String SERVICE_ID = "mailroom.service_id";

	/** What intake made of a record: queued, rejected, expired, duplicate, dead-lettered. */
	public static final String INTAKE_OUTCOME = "mailroom.intake.outcome";

	/** The attempt a send span is, from 1. */
	public static final String ATTEMPT = "mailroom.attempt";

	/** What became of the mail after an attempt: sent, retry, failed, held, requeued, expired. */
	public static final String OUTCOME = "mailroom.outcome";

	/** Where a failed attempt failed: compose, identity, smtp. */
	public static final String FAILURE_STAGE = "mailroom.failure.stage";

	public static final String ERROR_CATEGORY = "mailroom.error.category";

	/** A code of Mailroom's bounded catalogue (enhanced SMTP codes, AADSTS codes, Mailroom's own). */
	public static final String ERROR_CODE = "mailroom.error.code";

	public static final String SMTP_REPLY_CODE = "mailroom.smtp.reply.code";

	public static final String SMTP_ENHANCED_CODE = "mailroom.smtp.reply.enhanced_code";

	/** Where a token came from: msal_cache (the stored cache) or refresh (the identity platform). */
	public static final String TOKEN_SOURCE = "mailroom.token.source";

	/** The final status a result reports. */
	public static final String RESULT_STATUS = "mailroom.result.status";

	/** OpenTelemetry's semantic conventions, for the SMTP server and the Kafka topics. */
	public static final String SERVER_ADDRESS = "server.address";

	public static final String SERVER_PORT = "server.port";

	public static final String MESSAGING_SYSTEM = "messaging.system";

	public static final String MESSAGING_DESTINATION = "messaging.destination.name";

	public static final String ERROR_TYPE = "error.type";

	private MailSpans() {
	}

}
