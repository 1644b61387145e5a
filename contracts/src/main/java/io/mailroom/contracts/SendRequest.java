package io.mailroom.contracts;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A request to send one mail through one of an account's SMTP services; published on
 * {@link Topics#SEND_REQUESTS} with the serviceId as key.
 *
 * @param schemaVersion the contract version; {@value #SCHEMA_VERSION} for this one
 * @param requestId the idempotency key: a request published twice with the same id is sent once
 * @param accountId the product's account that owns {@code serviceId}
 * @param serviceId the SMTP service to send through
 * @param priority TRANSACTIONAL (default when absent) or BULK
 * @param to recipients; to, cc and bcc together hold 1 to 500 addresses
 * @param cc carbon-copy recipients
 * @param bcc blind carbon-copy recipients (never written into the message)
 * @param subject the subject line (no CR or LF)
 * @param text plain-text body; at least one of text and html is required
 * @param html HTML body
 * @param attachments files to attach
 * @param headers extra headers; names must start with {@code X-}
 * @param notBefore do not send before this instant
 * @param expiresAt give up (status EXPIRED) if it cannot be sent by this instant
 * @param tags free-form labels echoed back in the {@link SendResult}
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SendRequest(int schemaVersion, UUID requestId, String accountId, UUID serviceId, Priority priority,
		List<EmailAddress> to, List<EmailAddress> cc, List<EmailAddress> bcc, String subject, String text,
		String html, List<Attachment> attachments, Map<String, String> headers, Instant notBefore,
		Instant expiresAt, Map<String, String> tags) {

	public static final int SCHEMA_VERSION = 1;

	public SendRequest {
		priority = priority == null ? Priority.TRANSACTIONAL : priority;
		to = to == null ? List.of() : List.copyOf(to);
		cc = cc == null ? List.of() : List.copyOf(cc);
		bcc = bcc == null ? List.of() : List.copyOf(bcc);
		attachments = attachments == null ? List.of() : List.copyOf(attachments);
		headers = headers == null ? Map.of() : inProducersOrder(headers);
		tags = tags == null ? Map.of() : Map.copyOf(tags);
	}

	/**
	 * The headers as the producer ordered them: header names are case-insensitive, so of two names that differ
	 * only in case the later one is the one the mail carries, which takes a stable order ({@code Map.copyOf}'s
	 * changes from one JVM to the next).
	 */
	private static Map<String, String> inProducersOrder(Map<String, String> headers) {
		Map<String, String> copy = new LinkedHashMap<>();
		headers.forEach((name, value) -> copy.put(Objects.requireNonNull(name, "header name"),
				Objects.requireNonNull(value, "header value")));
		return Collections.unmodifiableMap(copy);
	}

	/** Starts a request for the current schema version with a fresh requestId. */
	public static Builder builder(String accountId, UUID serviceId) {
		return new Builder(accountId, serviceId);
	}

	/** All recipients: to, cc and bcc. */
	public List<EmailAddress> allRecipients() {
		return java.util.stream.Stream.of(to, cc, bcc).flatMap(List::stream).toList();
	}

	/** Fluent construction for producers written in Java. */
	public static final class Builder {

		private UUID requestId = UUID.randomUUID();

		private final String accountId;

		private final UUID serviceId;

		private Priority priority = Priority.TRANSACTIONAL;

		private final java.util.ArrayList<EmailAddress> to = new java.util.ArrayList<>();

		private final java.util.ArrayList<EmailAddress> cc = new java.util.ArrayList<>();

		private final java.util.ArrayList<EmailAddress> bcc = new java.util.ArrayList<>();

		private String subject;

		private String text;

		private String html;

		private final java.util.ArrayList<Attachment> attachments = new java.util.ArrayList<>();

		private final java.util.LinkedHashMap<String, String> headers = new java.util.LinkedHashMap<>();

		private Instant notBefore;

		private Instant expiresAt;

		private final java.util.LinkedHashMap<String, String> tags = new java.util.LinkedHashMap<>();

		private Builder(String accountId, UUID serviceId) {
			this.accountId = accountId;
			this.serviceId = serviceId;
		}

		public Builder requestId(UUID requestId) {
			this.requestId = requestId;
			return this;
		}

		public Builder priority(Priority priority) {
			this.priority = priority;
			return this;
		}

		public Builder to(String address) {
			this.to.add(EmailAddress.of(address));
			return this;
		}

		public Builder to(EmailAddress address) {
			this.to.add(address);
			return this;
		}

		public Builder cc(EmailAddress address) {
			this.cc.add(address);
			return this;
		}

		public Builder bcc(EmailAddress address) {
			this.bcc.add(address);
			return this;
		}

		public Builder subject(String subject) {
			this.subject = subject;
			return this;
		}

		public Builder text(String text) {
			this.text = text;
			return this;
		}

		public Builder html(String html) {
			this.html = html;
			return this;
		}

		public Builder attachment(Attachment attachment) {
			this.attachments.add(attachment);
			return this;
		}

		public Builder header(String name, String value) {
			this.headers.put(name, value);
			return this;
		}

		public Builder notBefore(Instant notBefore) {
			this.notBefore = notBefore;
			return this;
		}

		public Builder expiresAt(Instant expiresAt) {
			this.expiresAt = expiresAt;
			return this;
		}

		public Builder tag(String name, String value) {
			this.tags.put(name, value);
			return this;
		}

		public SendRequest build() {
			return new SendRequest(SCHEMA_VERSION, requestId, accountId, serviceId, priority, to, cc, bcc, subject,
					text, html, attachments, headers, notBefore, expiresAt, tags);
		}

	}

}
