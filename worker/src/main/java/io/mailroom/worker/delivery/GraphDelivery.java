package io.mailroom.worker.delivery;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import jakarta.mail.Session;
import io.mailroom.contracts.Attachment;
import io.mailroom.contracts.SendRequest;
import io.mailroom.core.failures.Failure;
import io.mailroom.core.failures.Failures;
import io.mailroom.core.failures.ServiceImpact;
import io.mailroom.core.services.MicrosoftGuidance;
import io.mailroom.core.services.MicrosoftOAuth2;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.tokens.MicrosoftApi;
import io.mailroom.core.tokens.MicrosoftApps;
import io.mailroom.worker.tokens.AccessToken;
import io.mailroom.worker.tokens.AccessTokens;
import io.mailroom.worker.tokens.TokenUnavailable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Sends mail through Microsoft Graph as the service's mailbox: {@code POST /users/{mailbox}/sendMail} with the
 * MIME message (base64, {@code text/plain}) up to Graph's 4 MB request limit; beyond it a draft from the
 * MIME message without attachments, an upload session per attachment (chunks of at most 4 MB) and
 * {@code send}, up to 150 MB. Same contract as {@link SmtpDelivery#send}: never throws for what Graph, the
 * network or the identity platform does.
 *
 * <p>{@code 202 Accepted} is all Graph promises: the mail is queued at Exchange, not delivered, and the
 * outcome says so. A {@code 504} may hide a sent mail, and Graph has no idempotency key: the mail is looked
 * up in Sent Items by its internetMessageId where the grant can read them, and otherwise reported as
 * unknown, never resent blindly.
 */
@Component
public class GraphDelivery {

	private static final Logger LOG = LoggerFactory.getLogger(GraphDelivery.class);

	/** Graph's request limit; the base64 MIME body must stay under it. */
	static final int MAX_REQUEST_BYTES = 4 * 1024 * 1024;

	private static final int CHUNK_BYTES = 4 * 1024 * 1024;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final AccessTokens tokens;

	private final MicrosoftApps apps;

	private final DeliveryProperties properties;

	private final Clock clock;

	private final HttpClient http;

	private final Session session = MailSessions.create(new Properties());

	public GraphDelivery(AccessTokens tokens, MicrosoftApps apps, DeliveryProperties properties,
			ObjectProvider<Clock> clock) {
		this.tokens = tokens;
		this.apps = apps;
		this.properties = properties;
		this.clock = clock.getIfAvailable(Clock::systemUTC);
		// Graph is a Microsoft host like the identity platform: the same trust (mailroom.identity.ssl-bundle)
		this.http = HttpClient.newBuilder()
			.connectTimeout(properties.connectTimeout())
			.sslContext(apps.sslContext())
			.executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor())
			.build();
	}

	/**
	 * Sends one mail through Graph; every failure comes back classified. The fence is asked before the
	 * first request and again before the request that hands the mail over (sendMail, or a draft's send).
	 */
	public DeliveryOutcome send(SmtpService service, OutgoingMail mail, Fence fence) {
		String messageId = MailComposer.messageId(mail.requestId(), service.fromAddress());
		byte[] mime;
		try {
			mime = mime(service, mail, messageId);
		}
		catch (MailComposer.Unsendable ex) {
			return DeliveryOutcome.Failed.of(ex.failure(), messageId, DeliveryOutcome.Stage.COMPOSE, null);
		}
		AccessToken token;
		try {
			token = tokens.get(service, MicrosoftApi.GRAPH);
		}
		catch (TokenUnavailable ex) {
			return DeliveryOutcome.Failed.of(ex.failure(), messageId, DeliveryOutcome.Stage.IDENTITY,
					ex.authorizationVersion());
		}
		if (!fence.mayStart()) {
			return new DeliveryOutcome.Fenced(messageId);
		}
		try {
			Answer answer = deliver(service, mail, mime, messageId, token, fence);
			if (answer.status() == 401) {
				// a token refused by Graph is refreshed once, like one refused by SMTP
				token = tokens.refreshAfterRejection(service, MicrosoftApi.GRAPH, token);
				answer = deliver(service, mail, mime, messageId, token, fence);
			}
			return answer == FENCED ? new DeliveryOutcome.Fenced(messageId)
					: outcome(service, mail, messageId, token, answer);
		}
		catch (TokenUnavailable ex) {
			return DeliveryOutcome.Failed.of(ex.failure(), messageId, DeliveryOutcome.Stage.IDENTITY,
					ex.authorizationVersion());
		}
		catch (IOException ex) {
			return DeliveryOutcome.Failed.of(Failures.network("send mail through Microsoft Graph", ex), messageId,
					DeliveryOutcome.Stage.TRANSPORT, token.cacheVersion());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return DeliveryOutcome.Failed.of(Failures.network("send mail through Microsoft Graph", ex), messageId,
					DeliveryOutcome.Stage.TRANSPORT, token.cacheVersion());
		}
	}

	private DeliveryOutcome outcome(SmtpService service, OutgoingMail mail, String messageId, AccessToken token,
			Answer answer) throws IOException, InterruptedException {
		if (answer.status() == 202) {
			return new DeliveryOutcome.Sent(messageId, null, GraphAcceptance.accepted(answer.requestId()));
		}
		if (answer.status() == 504) {
			Boolean found = findInSentItems(service, messageId, token);
			if (Boolean.TRUE.equals(found)) {
				LOG.info("Graph timed out on request {} of service {} but the mail is in Sent Items", mail.requestId(),
						service.id());
				return new DeliveryOutcome.Sent(messageId, null, GraphAcceptance.foundAfterTimeout(answer.requestId()));
			}
			LOG.warn("Graph timed out on request {} of service {}; not resent", mail.requestId(), service.id());
			return new DeliveryOutcome.Failed(Failures.graphOutcomeUnknown(found != null), messageId,
					DeliveryOutcome.Stage.TRANSPORT, token.cacheVersion(), true);
		}
		Failure failure = Failures.graph(answer.status(), answer.code(), answer.message(), answer.retryAfter());
		if (answer.status() == 403 && !"ErrorSendAsDenied".equalsIgnoreCase(answer.code())
				&& service.microsoft().appOnly()) {
			failure = MicrosoftGuidance.appMailboxAccessMissing(failure, service.microsoft(), service.fromAddress());
		}
		if (answer.status() == 401) {
			failure = failure.withImpact(service.microsoft().appOnly() ? ServiceImpact.CONFIGURATION_ERROR
					: ServiceImpact.NEEDS_REAUTHORIZATION);
		}
		LOG.info("Request {} of service {} not sent through Graph: {} {}", mail.requestId(), service.id(),
				answer.status(), failure.error().code());
		return DeliveryOutcome.Failed.of(failure, messageId, DeliveryOutcome.Stage.TRANSPORT, token.cacheVersion());
	}

	private Answer deliver(SmtpService service, OutgoingMail mail, byte[] mime, String messageId, AccessToken token,
			Fence fence) throws IOException, InterruptedException {
		byte[] body = Base64.getEncoder().encode(mime);
		if (body.length <= MAX_REQUEST_BYTES) {
			return fence.mayComplete() ? call(post(userPath(service) + "/sendMail", token, "text/plain", body)) : FENCED;
		}
		return sendLarge(service, mail, messageId, token, fence);
	}

	/** Draft without attachments, one upload session per attachment, then send. */
	private Answer sendLarge(SmtpService service, OutgoingMail mail, String messageId, AccessToken token,
			Fence fence) throws IOException, InterruptedException {
		SendRequest request = mail.request();
		byte[] bare;
		try {
			bare = mime(service, new OutgoingMail(mail.requestId(), withoutAttachments(request)), messageId);
		}
		catch (MailComposer.Unsendable ex) {
			throw new IOException("The message could not be composed again", ex);
		}
		Answer draft = call(post(userPath(service) + "/messages", token, "text/plain", Base64.getEncoder().encode(bare)));
		if (draft.status() != 201) {
			return draft;
		}
		String draftId = String.valueOf(draft.body().get("id"));
		for (Attachment attachment : request.attachments() == null ? List.<Attachment>of() : request.attachments()) {
			byte[] content = Base64.getMimeDecoder().decode(attachment.content());
			Map<String, Object> item = Map.of("AttachmentItem", Map.of("attachmentType", "file", "name",
					attachment.filename(), "size", content.length, "contentType", attachment.contentType()));
			Answer session = call(post(userPath(service) + "/messages/" + draftId + "/attachments/createUploadSession",
					token, "application/json", JSON.writeValueAsBytes(item)));
			if (session.status() != 201) {
				return session;
			}
			URI uploadUrl = URI.create(String.valueOf(session.body().get("uploadUrl")));
			for (int first = 0; first < content.length; first += CHUNK_BYTES) {
				int last = Math.min(first + CHUNK_BYTES, content.length) - 1;
				// the upload URL carries its own authorization: Graph refuses an Authorization header there
				Answer chunk = call(HttpRequest.newBuilder(uploadUrl)
					.timeout(properties.readTimeout())
					.header("Content-Range", "bytes " + first + "-" + last + "/" + content.length)
					.PUT(HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOfRange(content, first, last + 1))));
				if (chunk.status() != 200 && chunk.status() != 201) {
					return chunk;
				}
			}
		}
		if (!fence.mayComplete()) {
			return FENCED; // the draft stays in Drafts, unsent
		}
		return call(post(userPath(service) + "/messages/" + draftId + "/send", token, null, new byte[0]));
	}

	/**
	 * Whether the mail is in the mailbox's Sent Items, by internetMessageId; null when the grant may not read
	 * them (Graph answers 403) or the lookup failed.
	 */
	private Boolean findInSentItems(SmtpService service, String messageId, AccessToken token)
			throws InterruptedException {
		String filter = URLEncoder.encode("internetMessageId eq '" + messageId + "'", StandardCharsets.UTF_8);
		try {
			Answer found = call(HttpRequest.newBuilder(URI.create(userPath(service)
					+ "/mailFolders/SentItems/messages?%24select=id,internetMessageId&%24filter=" + filter))
				.timeout(properties.readTimeout())
				.header("Authorization", "Bearer " + token.value())
				.GET());
			if (found.status() != 200) {
				return null;
			}
			Object value = found.body().get("value");
			return value instanceof List<?> list && !list.isEmpty();
		}
		catch (IOException ex) {
			return null;
		}
	}

	private HttpRequest.Builder post(String url, AccessToken token, String contentType, byte[] body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.timeout(properties.readTimeout())
			.header("Authorization", "Bearer " + token.value())
			.POST(HttpRequest.BodyPublishers.ofByteArray(body));
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		return request;
	}

	private Answer call(HttpRequest.Builder request) throws IOException, InterruptedException {
		HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
		Map<String, Object> body = Map.of();
		String code = null;
		String message = null;
		if (response.body().length > 0 && response.headers().firstValue("Content-Type").orElse("").contains("json")) {
			try {
				@SuppressWarnings("unchecked")
				Map<String, Object> parsed = JSON.readValue(response.body(), Map.class);
				body = parsed;
				if (parsed.get("error") instanceof Map<?, ?> error) {
					code = error.get("code") == null ? null : String.valueOf(error.get("code"));
					message = error.get("message") == null ? null : String.valueOf(error.get("message"));
				}
			}
			catch (JacksonException ex) {
				// not Graph's JSON: the status alone classifies it
			}
		}
		Duration retryAfter = response.headers().firstValue("Retry-After").map(GraphDelivery::seconds).orElse(null);
		return new Answer(response.statusCode(), code, message, retryAfter,
				response.headers().firstValue("request-id").orElse(null), body);
	}

	private String userPath(SmtpService service) {
		MicrosoftOAuth2 oauth2 = service.microsoft();
		return apps.graphHost() + "/v1.0/users/" + URLEncoder.encode(oauth2.loginEmail(), StandardCharsets.UTF_8);
	}

	private byte[] mime(SmtpService service, OutgoingMail mail, String messageId) throws MailComposer.Unsendable {
		return MailComposer.compose(session, service, mail, messageId, clock.instant()).mime();
	}

	private static SendRequest withoutAttachments(SendRequest r) {
		return new SendRequest(r.schemaVersion(), r.requestId(), r.accountId(), r.serviceId(), r.priority(), r.to(),
				r.cc(), r.bcc(), r.subject(), r.text(), r.html(), List.of(), r.headers(), r.notBefore(), r.expiresAt(),
				r.tags());
	}

	private static Duration seconds(String value) {
		try {
			return Duration.ofSeconds(Math.max(1, Long.parseLong(value.trim())));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/** Graph's answer: status, error code and message, Retry-After, request-id, JSON body. */
	private record Answer(int status, String code, String message, Duration retryAfter, String requestId,
			Map<String, Object> body) {
	}

	/** No request went out: the sender's fence said no before the mail would have been handed over. */
	private static final Answer FENCED = new Answer(0, null, null, null, null, Map.of());

}
