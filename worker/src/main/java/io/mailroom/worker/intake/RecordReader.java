package io.mailroom.worker.intake;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;

import io.mailroom.contracts.MailroomJson;
import io.mailroom.contracts.SendRequest;
import io.mailroom.core.failures.Failure;
import io.mailroom.core.failures.Failures;
import io.mailroom.core.failures.InvalidRequestCodes;
import io.mailroom.core.text.SafeText;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads a record's value as a send request, as far as it can be read: a request, or a refusal of a record
 * whose requestId could be read (so its producer gets a result), or the reason it cannot be answered at all.
 */
final class RecordReader {

	private final int maxAccountIdLength;

	RecordReader(IntakeProperties limits) {
		this.maxAccountIdLength = limits.maxAccountIdLength();
	}

	/** What could be read from a record. */
	sealed interface Read {

		/** Nothing to answer: the record goes to the dead-letter topic. */
		record Unreadable(String reason) implements Read {
		}

		/**
		 * Not a request, but its requestId could be read: it is answered with a REJECTED result. The other
		 * ids are what could be read of them, possibly null.
		 */
		record Refused(UUID requestId, UUID serviceId, String accountId, Failure failure) implements Read {
		}

		/** A request, to be checked further. */
		record Request(SendRequest request, JsonNode tree, byte[] json) implements Read {
		}

	}

	Read read(byte[] value) {
		if (value == null || value.length == 0) {
			return new Read.Unreadable("empty record");
		}
		int invalidByte = SafeText.invalidUtf8At(value);
		String notUtf8 = invalidByte < 0 ? null
				: "byte 0x" + String.format(Locale.ROOT, "%02X", value[invalidByte] & 0xFF) + " at offset " + invalidByte
						+ " is not part of a UTF-8 character";
		JsonNode tree;
		try {
			// a record that is not UTF-8 is read with its bad bytes replaced, only to find its requestId
			tree = notUtf8 == null ? MailroomJson.mapper().readTree(value)
					: MailroomJson.mapper().readTree(new String(value, StandardCharsets.UTF_8));
		}
		catch (JacksonException ex) {
			return new Read.Unreadable(
					(notUtf8 == null ? "" : "not UTF-8 (" + notUtf8 + ") and ") + "not JSON: " + ex.getOriginalMessage());
		}
		if (tree == null || !tree.isObject()) {
			return new Read.Unreadable(notUtf8 == null ? "not a JSON object" : "not UTF-8: " + notUtf8);
		}
		UUID requestId = uuid(tree, "requestId");
		if (notUtf8 != null) {
			return requestId == null ? new Read.Unreadable("not UTF-8: " + notUtf8 + "; requestId is missing or not a UUID")
					: refused(tree, requestId, Failures.invalidRequest(InvalidRequestCodes.INVALID_TEXT,
							"The record is not UTF-8: " + notUtf8 + ".",
							"Publish requests as JSON encoded in UTF-8 (as every JSON library writes it by default)."));
		}
		SendRequest request;
		try {
			request = MailroomJson.mapper().treeToValue(tree, SendRequest.class);
		}
		catch (JacksonException ex) {
			String reason = "does not match the SendRequest schema: " + ex.getOriginalMessage();
			return requestId == null ? new Read.Unreadable(reason + "; requestId is missing or not a UUID")
					: refused(tree, requestId, Failures.invalidRequest(InvalidRequestCodes.SCHEMA_VIOLATION,
							"The request " + reason + ".", "Check the request against send-request.schema.json."));
		}
		if (request.requestId() == null) {
			return new Read.Unreadable("requestId is missing");
		}
		return new Read.Request(request, tree, value);
	}

	private Read.Refused refused(JsonNode tree, UUID requestId, Failure failure) {
		String accountId = SafeText.clean(text(tree, "accountId"), maxAccountIdLength);
		return new Read.Refused(requestId, uuid(tree, "serviceId"), accountId, failure);
	}

	private static UUID uuid(JsonNode tree, String field) {
		String value = text(tree, field);
		try {
			return value == null ? null : UUID.fromString(value);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static String text(JsonNode tree, String field) {
		JsonNode node = tree.get(field);
		return node != null && node.isString() ? node.asString() : null;
	}

}
