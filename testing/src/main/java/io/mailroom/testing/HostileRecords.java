package io.mailroom.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;

import io.mailroom.contracts.Attachment;
import io.mailroom.contracts.EmailAddress;
import io.mailroom.contracts.MailroomJson;
import io.mailroom.contracts.Priority;
import io.mailroom.contracts.SendRequest;
import io.mailroom.contracts.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Records for {@code mail.send-requests}, valid and hostile, generated from a seed, each with the answer
 * Mailroom owes it: stored (valid), a REJECTED result naming what to fix, or a copy on the dead-letter
 * topic (nothing readable to answer). A test or a fault run publishes them, interleaved, and checks every
 * answer; the same seed gives the same records, so a failure can be replayed.
 *
 * <p>Hostile kinds follow what a careless or broken producer sends: malformed JSON, wrong types, NUL and
 * other control characters in every text field, line breaks in every header-bearing field, lone
 * surrogates, bytes that are not UTF-8, deep nesting, huge arrays, over-long texts, unknown, deleted and
 * foreign services, a missing or malformed requestId, and 10 MB records ({@link Kind#TEN_MEGABYTES}, only
 * when asked for by kind: they are costly).
 */
public final class HostileRecords {

	/** The record header that carries {@link Sample#index()}; the dead-letter topic keeps headers. */
	public static final String SAMPLE_HEADER = "mailroom-test-sample";

	private static final String MARK = "@@hostile@@";

	private static final int TEN_MEGABYTES = 10 * 1024 * 1024;

	private final Random random;

	private final Targets targets;

	private final Instant validNotBefore;

	private int next;

	/**
	 * @param seed what every choice derives from, requestIds included
	 * @param targets the services the records aim at
	 * @param validNotBefore the {@code notBefore} of valid requests (later than now keeps them queued
	 *     without sending them), or null to send them at once
	 */
	public HostileRecords(long seed, Targets targets, Instant validNotBefore) {
		this.random = new Random(seed);
		this.targets = targets;
		this.validNotBefore = validNotBefore;
	}

	/**
	 * The services records aim at: one that exists, one that was deleted, and one of another account.
	 */
	public record Targets(String accountId, UUID serviceId, UUID deletedServiceId, UUID foreignServiceId) {
	}

	/** What Mailroom owes a record. */
	public enum Answer {

		/** Stored in the queue (and, in time, sent). */
		STORED,

		/** A REJECTED result on {@code mail.send-results}, and no dead-letter copy for the producer. */
		REJECTED,

		/** A copy on {@code mail.send-requests.dlt} with the reason: there is nobody to answer. */
		DEAD_LETTER

	}

	/** What is wrong with a record. */
	public enum Kind {

		VALID, NOT_JSON, NOT_AN_OBJECT, EMPTY, WRONG_TYPE, CONTROL_CHARACTER, LINE_BREAK, LONE_SURROGATE, INVALID_UTF8,
		DEEP_NESTING, HUGE_ARRAY, TOO_LONG, TOO_MANY_TAGS, UNKNOWN_SERVICE, DELETED_SERVICE, FOREIGN_SERVICE,
		MISSING_REQUEST_ID, MALFORMED_REQUEST_ID, TEN_MEGABYTES;

		private static final List<Kind> CHEAP_HOSTILE = Arrays.stream(values())
			.filter(kind -> kind != VALID && kind != TEN_MEGABYTES)
			.toList();

	}

	/**
	 * One record to publish.
	 *
	 * @param index its number in this generator's sequence, also sent as header {@link #SAMPLE_HEADER}
	 * @param variant what exactly is wrong, e.g. {@code U+0000 in subject}
	 * @param value the record's value (null for a tombstone)
	 * @param requestId the requestId an answer carries, or null when it cannot be read
	 * @param code the error code a REJECTED result must carry, or null
	 * @param mentions what the REJECTED result's message must contain, or null
	 */
	public record Sample(int index, Kind kind, String variant, String key, byte[] value, UUID requestId, Answer answer,
			String code, String mentions) {

		/** The record, for {@code mail.send-requests}. */
		public ProducerRecord<String, byte[]> record() {
			ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.SEND_REQUESTS, key, value);
			record.headers().add(SAMPLE_HEADER, String.valueOf(index).getBytes(StandardCharsets.US_ASCII));
			return record;
		}

		/** E.g. {@code #12 CONTROL_CHARACTER (U+0000 in subject)}. */
		public String describe() {
			return "#" + index + " " + kind + " (" + variant + ")";
		}

	}

	/**
	 * {@code count} records, each hostile with probability {@code hostileShare} (of a kind drawn evenly from
	 * all but {@link Kind#TEN_MEGABYTES}), valid otherwise.
	 */
	public List<Sample> mix(int count, double hostileShare) {
		List<Sample> samples = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			samples.add(random.nextDouble() < hostileShare ? hostile() : valid());
		}
		return samples;
	}

	/** A hostile record of a kind drawn evenly from all but {@link Kind#TEN_MEGABYTES}. */
	public Sample hostile() {
		return of(Kind.CHEAP_HOSTILE.get(random.nextInt(Kind.CHEAP_HOSTILE.size())));
	}

	/** A record of the given kind. */
	public Sample of(Kind kind) {
		return switch (kind) {
			case VALID -> valid();
			case NOT_JSON -> notJson();
			case NOT_AN_OBJECT -> deadLetter(kind, pick("[1,2,3]", "\"a string\"", "42", "null", "true",
					"[{\"requestId\":\"" + requestId() + "\"}]"));
			case EMPTY -> random.nextBoolean() ? sample(kind, "empty value", targets.serviceId().toString(), new byte[0],
					null, Answer.DEAD_LETTER, null, null)
					: sample(kind, "tombstone", targets.serviceId().toString(), null, null, Answer.DEAD_LETTER, null, null);
			case WRONG_TYPE -> wrongType();
			case CONTROL_CHARACTER -> controlCharacter();
			case LINE_BREAK -> lineBreak();
			case LONE_SURROGATE -> loneSurrogate();
			case INVALID_UTF8 -> invalidUtf8();
			case DEEP_NESTING -> deepNesting();
			case HUGE_ARRAY -> hugeArray();
			case TOO_LONG -> tooLong();
			case TOO_MANY_TAGS -> tooManyTags();
			case UNKNOWN_SERVICE -> serviceProblem(kind, targets.accountId(), requestId(), "There is no SMTP service",
					"UNKNOWN_SERVICE");
			case DELETED_SERVICE -> serviceProblem(kind, targets.accountId(), targets.deletedServiceId(), "was deleted",
					"UNKNOWN_SERVICE");
			case FOREIGN_SERVICE -> serviceProblem(kind, targets.accountId(), targets.foreignServiceId(),
					"does not belong to account", "SERVICE_NOT_OWNED");
			case MISSING_REQUEST_ID -> deadLetter(kind, "no requestId",
					bytes(json(base(null, null, null), Function.identity())));
			case MALFORMED_REQUEST_ID -> malformedRequestId();
			case TEN_MEGABYTES -> tenMegabytes();
		};
	}

	/** A valid request: unicode, TABs and emoji in its texts, line breaks in its bodies, tags, headers. */
	public Sample valid() {
		UUID requestId = requestId();
		SendRequest.Builder builder = SendRequest.builder(targets.accountId(), targets.serviceId())
			.requestId(requestId)
			.priority(random.nextBoolean() ? Priority.TRANSACTIONAL : Priority.BULK)
			.to(new EmailAddress("reader" + random.nextInt(1000) + "@example.com", pick("Ada Lovelace", "Zoë\tO'Brien",
					"José 😀", null)))
			.subject(pick("Your code is 42", "Grüße aus Köln", "Réservation confirmée\t✓", "注文確認 😀"))
			.text(pick("Hello,\r\nyour code is 42.\r\n", "Line one\nline two\ttabbed", "Plain"))
			.notBefore(validNotBefore);
		if (random.nextBoolean()) {
			builder.html("<p>Hello <b>" + random.nextInt(1000) + "</b></p>\n");
		}
		for (int i = random.nextInt(4); i > 0; i--) {
			builder.tag("tag" + i, "value " + random.nextInt(1000));
		}
		if (random.nextBoolean()) {
			builder.header("X-Campaign", "spring-" + random.nextInt(100));
		}
		if (random.nextInt(4) == 0) {
			builder.cc(new EmailAddress("copy@example.com", "Copy"));
		}
		if (random.nextInt(8) == 0) {
			builder.attachment(Attachment.of("invoice-" + random.nextInt(100) + ".pdf", "application/pdf",
					randomBytes(random.nextInt(2048))));
		}
		SendRequest request = builder.build();
		return sample(Kind.VALID, "valid", targets.serviceId().toString(), MailroomJson.mapper().writeValueAsBytes(request),
				requestId, Answer.STORED, null, null);
	}

	private Sample notJson() {
		byte[] validJson = bytes(json(base(requestId(), null, null), Function.identity()));
		return switch (random.nextInt(4)) {
			case 0 -> deadLetter(Kind.NOT_JSON, "truncated JSON",
					Arrays.copyOf(validJson, 1 + random.nextInt(validJson.length - 1)));
			case 1 -> deadLetter(Kind.NOT_JSON, "random bytes", randomBytes(1 + random.nextInt(4096)));
			case 2 -> deadLetter(Kind.NOT_JSON, "XML", bytes("<request><subject>Hi</subject></request>"));
			default -> deadLetter(Kind.NOT_JSON, "a raw control character inside a string",
					bytes(json(base(null, Field.SUBJECT, "Hi" + MARK), tree -> tree.replace(MARK, "\u0001"))));
		};
	}

	private Sample wrongType() {
		UUID requestId = requestId();
		String json = json(base(requestId, null, null), Function.identity());
		// a field of the wrong type replaces the right one; the replaced value stays behind in an unknown field,
		// so that no name appears twice (JSON parsers disagree about duplicates)
		String[][] edits = { { "\"to\":[", "\"to\":\"reader@example.com\",\"unused\":[" },
				{ "\"to\":[", "\"to\":[42," }, { "\"subject\":\"", "\"subject\":{\"a\":1},\"unused\":\"" },
				{ "\"subject\":\"", "\"subject\":42,\"unused\":\"" },
				{ "\"tags\":{", "\"tags\":[\"a\"],\"unused\":{" },
				{ "\"schemaVersion\":1,", "\"schemaVersion\":\"one\"," }, { "\"schemaVersion\":1,", "\"schemaVersion\":2," },
				{ "\"schemaVersion\":1,", "\"schemaVersion\":1.5," },
				{ "\"priority\":\"TRANSACTIONAL\"", "\"priority\":\"URGENT\"" },
				{ "\"priority\":\"TRANSACTIONAL\"", "\"priority\":7" },
				{ "\"headers\":{", "\"headers\":[\"X-A\"],\"unused\":{" },
				{ "\"attachments\":[", "\"attachments\":{\"filename\":\"x\"},\"unused\":[" },
				{ "\"accountId\":\"", "\"accountId\":42,\"unused\":\"" },
				{ "\"serviceId\":\"", "\"serviceId\":\"not-a-uuid\",\"unused\":\"" },
				{ "\"subject\":\"", "\"expiresAt\":true,\"subject\":\"" },
				{ "\"subject\":\"", "\"expiresAt\":\"next week\",\"subject\":\"" },
				{ "\"subject\":\"", "\"colour\":\"red\",\"subject\":\"" } };
		String[] edit = edits[random.nextInt(edits.length)];
		// schemaVersion 2 is a number as the schema wants, only not this schema's version
		String mentions = edit[1].equals("\"schemaVersion\":2,") ? "schemaVersion is 2"
				: "does not match the SendRequest schema";
		int at = json.indexOf(edit[0]);
		if (at < 0) {
			throw new IllegalStateException("The base request has no " + edit[0]);
		}
		String wrong = json.substring(0, at) + edit[1] + json.substring(at + edit[0].length());
		return rejected(Kind.WRONG_TYPE, edit[1], bytes(wrong), requestId, "SCHEMA_VIOLATION", mentions);
	}

	private Sample controlCharacter() {
		Field field = pick(Field.values());
		int[] others = { 1, 2, 7, 8, 0x0B, 0x0C, 0x0E, 0x1B, 0x1F, 0x7F };
		int control = random.nextBoolean() ? 0 : others[random.nextInt(others.length)];
		String escape = String.format(Locale.ROOT, "\\u%04x", control);
		return injected(Kind.CONTROL_CHARACTER, String.format(Locale.ROOT, "U+%04X in %s", control, field.message), field,
				escape, "INVALID_TEXT", field.mention);
	}

	private Sample lineBreak() {
		Field field = pick(Arrays.stream(Field.values()).filter(f -> !f.body).toArray(Field[]::new));
		String escape = pick("\\r\\n", "\\n", "\\r", "\\r\\nBcc: victim@example.com\\r\\n");
		return injected(Kind.LINE_BREAK, "line break in " + field.message, field, escape,
				field.header ? "HEADER_INJECTION" : "INVALID_TEXT", field.mention);
	}

	private Sample loneSurrogate() {
		Field field = pick(Field.values());
		String escape = pick("\\ud800", "\\udfff", "\\ude00\\ud83d", "\\ud83dx");
		if (field == Field.HEADER_NAME || field == Field.TAG_NAME) {
			// JSON parsers refuse a lone surrogate in a name: the whole record is unreadable
			return deadLetter(Kind.LONE_SURROGATE, escape + " in " + field.message,
					bytes(json(base(requestId(), field, MARK), tree -> tree.replace(MARK, escape))));
		}
		return injected(Kind.LONE_SURROGATE, escape + " in " + field.message, field, escape, "INVALID_TEXT",
				field.mention);
	}

	private Sample invalidUtf8() {
		byte[] bad = pick(new byte[] { (byte) 0xFF }, new byte[] { (byte) 0xC0, (byte) 0x80 },
				new byte[] { (byte) 0xED, (byte) 0xA0, (byte) 0x80 }, new byte[] { (byte) 0xC3 },
				new byte[] { (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80 }, new byte[] { (byte) 0x80 });
		if (random.nextInt(5) == 0) {
			String json = json(base(requestId(), null, null), tree -> tree.replaceFirst("\"requestId\":\"[0-9a-f]{8}",
					"\"requestId\":\"" + MARK));
			return deadLetter(Kind.INVALID_UTF8, "not UTF-8 inside the requestId", splice(json, bad));
		}
		Field field = pick(Field.values());
		UUID requestId = requestId();
		return rejected(Kind.INVALID_UTF8, "0x" + java.util.HexFormat.of().formatHex(bad) + " in " + field.message,
				splice(json(base(requestId, field, MARK), Function.identity()), bad), requestId, "INVALID_TEXT",
				"The record is not UTF-8");
	}

	private Sample deepNesting() {
		UUID requestId = requestId();
		return switch (random.nextInt(3)) {
			case 0 -> deadLetter(Kind.DEEP_NESTING, "10,000 nested arrays",
					bytes(json(base(requestId, Field.TAG_VALUE, MARK), tree -> tree.replace("\"" + MARK + "\"",
							"[".repeat(10_000) + "]".repeat(10_000)))));
			case 1 -> rejected(Kind.DEEP_NESTING, "100 nested arrays as a tag value",
					bytes(json(base(requestId, Field.TAG_VALUE, MARK), tree -> tree.replace("\"" + MARK + "\"",
							"[".repeat(100) + "]".repeat(100)))), requestId, "SCHEMA_VIOLATION",
					"does not match the SendRequest schema");
			default -> rejected(Kind.DEEP_NESTING, "100 nested objects in an unknown field",
					bytes(json(base(requestId, null, null), tree -> tree.replaceFirst("^\\{",
							"{\"extra\":" + "{\"a\":".repeat(100) + "1" + "}".repeat(100) + ","))), requestId,
					"SCHEMA_VIOLATION", "does not match the SendRequest schema");
		};
	}

	private Sample hugeArray() {
		UUID requestId = requestId();
		return switch (random.nextInt(3)) {
			case 0 -> {
				SendRequest.Builder builder = builder(requestId);
				for (int i = 0; i < 2_000; i++) {
					builder.to("r" + i + "@example.com");
				}
				yield rejected(Kind.HUGE_ARRAY, "2,000 recipients", MailroomJson.mapper().writeValueAsBytes(builder.build()),
						requestId, "TOO_MANY_RECIPIENTS", "2001 recipients");
			}
			case 1 -> rejected(Kind.HUGE_ARRAY, "20,000 numbers in an unknown field",
					bytes(json(base(requestId, null, null), tree -> tree.replaceFirst("^\\{",
							"{\"extra\":[" + "0,".repeat(19_999) + "0],"))), requestId, "SCHEMA_VIOLATION",
					"does not match the SendRequest schema");
			default -> {
				SendRequest.Builder builder = builder(requestId);
				for (int i = 0; i < 5_000; i++) {
					builder.tag("t" + i, "v");
				}
				yield rejected(Kind.HUGE_ARRAY, "5,000 tags", MailroomJson.mapper().writeValueAsBytes(builder.build()),
						requestId, "TOO_MANY_TAGS", "5000 tags");
			}
		};
	}

	private Sample tooLong() {
		Field field = pick(Field.SUBJECT, Field.TO_NAME, Field.HEADER_VALUE, Field.TAG_NAME, Field.TAG_VALUE,
				Field.FILENAME, Field.ACCOUNT_ID, Field.TO_ADDRESS);
		int length = 1_000 + random.nextInt(9_000);
		String value = "x".repeat(length);
		UUID requestId = requestId();
		return rejected(Kind.TOO_LONG, length + " characters in " + field.message,
				bytes(json(base(requestId, field, MARK), tree -> tree.replace(MARK, value))), requestId, "TEXT_TOO_LONG",
				field == Field.TAG_NAME ? "tag name '" : field.message + " is");
	}

	private Sample tooManyTags() {
		UUID requestId = requestId();
		int count = 51 + random.nextInt(150);
		SendRequest.Builder builder = builder(requestId);
		for (int i = 0; i < count; i++) {
			builder.tag("t" + i, "v");
		}
		return rejected(Kind.TOO_MANY_TAGS, count + " tags", MailroomJson.mapper().writeValueAsBytes(builder.build()),
				requestId, "TOO_MANY_TAGS", count + " tags");
	}

	private Sample serviceProblem(Kind kind, String accountId, UUID serviceId, String mentions, String code) {
		UUID requestId = requestId();
		SendRequest request = SendRequest.builder(accountId, serviceId)
			.requestId(requestId)
			.to("reader@example.com")
			.subject("Hello")
			.text("Hello")
			.build();
		return sample(kind, kind.name().toLowerCase(Locale.ROOT), serviceId.toString(),
				MailroomJson.mapper().writeValueAsBytes(request), requestId, Answer.REJECTED, code, mentions);
	}

	private Sample malformedRequestId() {
		String replacement = pick("\"not-a-uuid\"", "42", "\"\"", "null", "\"zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz\"",
				"{\"id\":1}");
		return deadLetter(Kind.MALFORMED_REQUEST_ID, "requestId " + replacement,
				bytes(json(base(requestId(), null, null), tree -> tree.replaceFirst("\"requestId\":\"[^\"]*\"",
						java.util.regex.Matcher.quoteReplacement("\"requestId\":" + replacement)))));
	}

	private Sample tenMegabytes() {
		UUID requestId = requestId();
		return switch (random.nextInt(4)) {
			case 0 -> rejected(Kind.TEN_MEGABYTES, "a 10 MB subject",
					bytes(json(base(requestId, Field.SUBJECT, MARK), tree -> tree.replace(MARK, "s".repeat(TEN_MEGABYTES)))),
					requestId, "TEXT_TOO_LONG", "subject is");
			case 1 -> rejected(Kind.TEN_MEGABYTES, "a 10 MB text ending in U+0000",
					bytes(json(base(requestId, Field.TEXT, MARK),
							tree -> tree.replace(MARK, "line of text\\n".repeat(TEN_MEGABYTES / 14) + "\\u0000"))),
					requestId, "INVALID_TEXT", "text contains U+0000");
			case 2 -> rejected(Kind.TEN_MEGABYTES, "a 10 MB tag value",
					bytes(json(base(requestId, Field.TAG_VALUE, MARK), tree -> tree.replace(MARK, "t".repeat(TEN_MEGABYTES)))),
					requestId, "TEXT_TOO_LONG", "tags['feature'] is");
			default -> deadLetter(Kind.TEN_MEGABYTES, "10 MB of random bytes", randomBytes(TEN_MEGABYTES));
		};
	}

	private Sample injected(Kind kind, String variant, Field field, String jsonEscape, String code, String mentions) {
		UUID requestId = requestId();
		return rejected(kind, variant,
				bytes(json(base(requestId, field, MARK), tree -> tree.replace(MARK, jsonEscape))), requestId, code,
				mentions);
	}

	/** Where a hostile value goes, and how the refusal names it. */
	private enum Field {

		ACCOUNT_ID("accountId", "accountId contains", false, false), SUBJECT("subject", "subject contains", false, true),
		TEXT("text", "text contains", true, false), HTML("html", "html contains", true, false),
		TO_ADDRESS("to[0].address", "to[0].address contains", false, true),
		TO_NAME("to[0].name", "to[0].name contains", false, true),
		CC_NAME("cc[0].name", "cc[0].name contains", false, true),
		BCC_ADDRESS("bcc[0].address", "bcc[0].address contains", false, true),
		HEADER_NAME("a header name", "header name '", false, true),
		HEADER_VALUE("header X-Campaign", "header X-Campaign contains", false, true),
		TAG_NAME("a tag name", "tag name '", false, false),
		TAG_VALUE("tags['feature']", "tags['feature'] contains", false, false),
		FILENAME("attachments[0].filename", "attachments[0].filename contains", false, true),
		CONTENT_TYPE("attachments[0].contentType", "attachments[0].contentType contains", false, true);

		private final String message;

		private final String mention;

		private final boolean body;

		private final boolean header;

		Field(String message, String mention, boolean body, boolean header) {
			this.message = message;
			this.mention = mention;
			this.body = body;
			this.header = header;
		}

	}

	/**
	 * A valid request with every field set; {@code field} (if any) holds {@code value} in the middle of its
	 * text (a tag value holds {@code value} alone, so that a test can replace the whole JSON string).
	 */
	private SendRequest base(UUID requestId, Field field, String value) {
		String accountId = field == Field.ACCOUNT_ID ? "acct" + value : targets.accountId();
		SendRequest.Builder builder = SendRequest.builder(accountId, targets.serviceId())
			.requestId(requestId)
			.priority(Priority.TRANSACTIONAL)
			.to(new EmailAddress(field == Field.TO_ADDRESS ? "rea" + value + "der@example.com" : "reader@example.com",
					field == Field.TO_NAME ? "Ada" + value + " Lovelace" : "Ada Lovelace"))
			.cc(new EmailAddress("copy@example.com", field == Field.CC_NAME ? "Co" + value + "py" : "Copy"))
			.bcc(new EmailAddress(field == Field.BCC_ADDRESS ? "hid" + value + "den@example.com" : "hidden@example.com",
					null))
			.subject(field == Field.SUBJECT ? "Your order" + value + " shipped" : "Your order shipped")
			.text(field == Field.TEXT ? "Hello,\n" + value + "\nbye" : "Hello,\nbye")
			.html(field == Field.HTML ? "<p>" + value + "</p>" : "<p>Hello</p>")
			.header(field == Field.HEADER_NAME ? "X-Ca" + value + "mpaign" : "X-Campaign",
					field == Field.HEADER_VALUE ? "spring" + value + "-sale" : "spring-sale")
			.tag(field == Field.TAG_NAME ? "fea" + value + "ture" : "feature",
					field == Field.TAG_VALUE ? value : "password")
			.attachment(new Attachment(field == Field.FILENAME ? "in" + value + "voice.pdf" : "invoice.pdf",
					field == Field.CONTENT_TYPE ? "application/pdf" + value : "application/pdf", "JVBERi0xLjQK"))
			.notBefore(validNotBefore);
		return builder.build();
	}

	private SendRequest.Builder builder(UUID requestId) {
		return SendRequest.builder(targets.accountId(), targets.serviceId())
			.requestId(requestId)
			.to("reader@example.com")
			.subject("Hello")
			.text("Hello")
			.notBefore(validNotBefore);
	}

	private static String json(SendRequest request, Function<String, String> edit) {
		return edit.apply(MailroomJson.mapper().writeValueAsString(request));
	}

	/** The JSON with the raw bytes {@code bad} where {@link #MARK} is. */
	private static byte[] splice(String json, byte[] bad) {
		int at = json.indexOf(MARK);
		ByteArrayOutputStream out = new ByteArrayOutputStream(json.length() + bad.length);
		out.writeBytes(bytes(json.substring(0, at)));
		out.writeBytes(bad);
		out.writeBytes(bytes(json.substring(at + MARK.length())));
		return out.toByteArray();
	}

	private Sample rejected(Kind kind, String variant, byte[] value, UUID requestId, String code, String mentions) {
		return sample(kind, variant, targets.serviceId().toString(), value, requestId, Answer.REJECTED, code, mentions);
	}

	private Sample deadLetter(Kind kind, String variant, byte[] value) {
		return sample(kind, variant, targets.serviceId().toString(), value, null, Answer.DEAD_LETTER, null, null);
	}

	private Sample deadLetter(Kind kind, String value) {
		return deadLetter(kind, value.length() > 40 ? value.substring(0, 40) + "…" : value, bytes(value));
	}

	private Sample sample(Kind kind, String variant, String key, byte[] value, UUID requestId, Answer answer, String code,
			String mentions) {
		return new Sample(next++, kind, variant, key, value, requestId, answer, code, mentions);
	}

	/** A version 4 UUID from this generator's random numbers, so that a seed gives the same ids again. */
	private UUID requestId() {
		long high = (random.nextLong() & ~0xF000L) | 0x4000L;
		long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(high, low);
	}

	private byte[] randomBytes(int length) {
		byte[] bytes = new byte[length];
		random.nextBytes(bytes);
		return bytes;
	}

	@SafeVarargs
	private <T> T pick(T... choices) {
		return choices[random.nextInt(choices.length)];
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
