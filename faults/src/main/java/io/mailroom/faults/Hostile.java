package io.mailroom.faults;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

import io.mailroom.contracts.Attachment;
import io.mailroom.contracts.EmailAddress;
import io.mailroom.contracts.MailroomJson;
import io.mailroom.contracts.SendRequest;
import io.mailroom.faults.FloodPlan.Planned;
import io.mailroom.faults.Fleet.Sender;
import tools.jackson.databind.node.ObjectNode;

/**
 * Records a careless or hostile producer sends: unreadable bytes, JSON of the wrong shape or types, NUL and
 * other control characters in every text field, CR/LF in every field that ends up in a header, invalid
 * UTF-8 and lone surrogates, 10 MB records, deep nesting, unknown and foreign services. Each must be
 * answered (a REJECTED result, or a copy on the dead-letter topic) without holding up valid mail.
 */
final class Hostile {

	private static final int TEN_MB = 10 * 1024 * 1024;

	/** Text fields of a request, and how to put a value into each. */
	private static final List<Field> TEXT_FIELDS = List.of(new Field("subject", true, (r, v) -> r.put("subject", v)),
			new Field("text", false, (r, v) -> r.put("text", v)), new Field("html", false, (r, v) -> r.put("html", v)),
			new Field("to.name", true, (r, v) -> first(r, "to").put("name", v)),
			new Field("to.address", true, (r, v) -> first(r, "to").put("address", "reader" + v + "@recipients.example")),
			new Field("cc.name", true, (r, v) -> first(r, "cc").put("name", v)),
			new Field("cc.address", true, (r, v) -> first(r, "cc").put("address", "copy" + v + "@recipients.example")),
			new Field("bcc.address", true, (r, v) -> first(r, "bcc").put("address", "blind" + v + "@recipients.example")),
			new Field("headers.name", true, (r, v) -> r.putObject("headers").put("X-Campaign" + v, "spring")),
			new Field("headers.value", true, (r, v) -> r.putObject("headers").put("X-Campaign", v)),
			new Field("tags.key", false, (r, v) -> r.putObject("tags").put("campaign" + v, "spring")),
			new Field("tags.value", false, (r, v) -> r.putObject("tags").put("campaign", v)),
			new Field("attachment.filename", true, (r, v) -> first(r, "attachments").put("filename", "invoice" + v + ".pdf")),
			new Field("attachment.contentType", true,
					(r, v) -> first(r, "attachments").put("contentType", "application/pdf" + v)),
			new Field("accountId", false, (r, v) -> r.put("accountId", r.get("accountId").asString() + v)));

	private record Field(String name, boolean headerBearing, BiConsumer<ObjectNode, String> set) {
	}

	/** One kind of hostile record, made for a sender and a fresh requestId. */
	private record Kind(String name, Function<Context, byte[]> value) {
	}

	private record Context(Fleet fleet, Sender sender, UUID requestId, int number) {
	}

	private Hostile() {
	}

	/** {@code count} hostile records cycling through every kind, keyed by the fleet's services. */
	static List<Planned> records(Fleet fleet, int count) {
		List<Kind> kinds = kinds();
		List<Planned> records = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			Kind kind = kinds.get(i % kinds.size());
			Sender sender = fleet.senders().get(i % fleet.senders().size());
			UUID requestId = UUID.randomUUID();
			byte[] value = kind.value().apply(new Context(fleet, sender, requestId, i));
			String key = kind.name().equals("unknown service") ? UUID.randomUUID().toString()
					: sender.serviceId().toString();
			// results are looked up by this id; records that carry none readable are answered on the DLT alone
			records.add(new Planned(Duration.ZERO, key, value, requestId, null, kind.name(), fleet.scenario() + ":" + i));
		}
		return records;
	}

	/** The names of the kinds, for the report. */
	static List<String> kindNames() {
		return kinds().stream().map(Kind::name).toList();
	}

	private static List<Kind> kinds() {
		List<Kind> kinds = new ArrayList<>();
		kinds.add(new Kind("malformed JSON",
				c -> ("{\"schemaVersion\":1,\"requestId\":\"" + c.requestId() + "\",\"subject\":\"unterminated")
					.getBytes(StandardCharsets.UTF_8)));
		kinds.add(new Kind("binary garbage", c -> random(2048, c.number())));
		kinds.add(new Kind("empty record", c -> new byte[0]));
		kinds.add(new Kind("tombstone (null value)", c -> null));
		kinds.add(new Kind("JSON array",
				c -> ("[{\"requestId\":\"" + c.requestId() + "\"}]").getBytes(StandardCharsets.UTF_8)));
		kinds.add(new Kind("JSON string", c -> "\"send a mail\"".getBytes(StandardCharsets.UTF_8)));
		kinds.add(new Kind("JSON number", c -> "42".getBytes(StandardCharsets.UTF_8)));
		kinds.add(new Kind("requestId a number", c -> json(c, r -> r.put("requestId", 12345))));
		kinds.add(new Kind("requestId missing", c -> json(c, r -> r.remove("requestId"))));
		kinds.add(new Kind("to a string", c -> json(c, r -> r.put("to", "reader@recipients.example"))));
		kinds.add(new Kind("priority unknown", c -> json(c, r -> r.put("priority", "URGENT"))));
		kinds.add(new Kind("subject an object", c -> json(c, r -> r.putObject("subject").put("text", "Hi"))));
		kinds.add(new Kind("headers an array", c -> json(c, r -> r.putArray("headers").add("X-Campaign"))));
		kinds.add(new Kind("notBefore not a date", c -> json(c, r -> r.put("notBefore", "tomorrow"))));
		kinds.add(new Kind("schemaVersion a string", c -> json(c, r -> r.put("schemaVersion", "one"))));
		kinds.add(new Kind("schemaVersion 2", c -> json(c, r -> r.put("schemaVersion", 2))));
		kinds.add(new Kind("serviceId not a UUID", c -> json(c, r -> r.put("serviceId", "mailbox-1"))));
		for (Field field : TEXT_FIELDS) {
			kinds.add(new Kind("NUL in " + field.name(), c -> json(c, r -> field.set().accept(r, "a\u0000b"))));
		}
		for (Field field : TEXT_FIELDS) {
			kinds.add(new Kind("control characters in " + field.name(),
					c -> json(c, r -> field.set().accept(r, "a\u0007\u001b[31m\u0008\u007fb"))));
		}
		for (Field field : TEXT_FIELDS.stream().filter(Field::headerBearing).toList()) {
			kinds.add(new Kind("CR/LF in " + field.name(),
					c -> json(c, r -> field.set().accept(r, "a\r\nBcc: victim@recipients.example\r\nb"))));
		}
		kinds.add(new Kind("invalid UTF-8 in subject", c -> invalidUtf8(c)));
		kinds.add(new Kind("lone surrogate in subject",
				c -> new String(json(c, r -> r.put("subject", "LONE-SURROGATE")), StandardCharsets.UTF_8)
					.replace("LONE-SURROGATE", "a\\ud800b")
					.getBytes(StandardCharsets.UTF_8)));
		kinds.add(new Kind("10 MB of garbage", c -> random(TEN_MB, c.number())));
		kinds.add(new Kind("10 MB subject", c -> json(c, r -> r.put("subject", "A".repeat(TEN_MB)))));
		kinds.add(new Kind("1 MB subject", c -> json(c, r -> r.put("subject", "A".repeat(1024 * 1024)))));
		kinds.add(new Kind("nesting 100,000 deep", c -> deep(c)));
		kinds.add(new Kind("unknown service", c -> json(c, r -> r.put("serviceId", UUID.randomUUID().toString()))));
		kinds.add(new Kind("another account's service", c -> json(c, r -> r.put("accountId",
				c.sender().accountId().equals(Stage.ACCOUNT_A) ? Stage.ACCOUNT_B : Stage.ACCOUNT_A))));
		kinds.add(new Kind("header not X-", c -> json(c, r -> r.putObject("headers").put("Bcc", "victim@recipients.example"))));
		kinds.add(new Kind("501 recipients", c -> json(c, r -> {
			var to = r.putArray("to");
			for (int i = 0; i < 501; i++) {
				to.addObject().put("address", "reader-" + i + "@recipients.example");
			}
		})));
		kinds.add(new Kind("no body", c -> json(c, r -> {
			r.remove("text");
			r.remove("html");
		})));
		kinds.add(new Kind("attachment not base64", c -> json(c, r -> first(r, "attachments").put("content", "%%%not base64"))));
		kinds.add(new Kind("address without a domain", c -> json(c, r -> first(r, "to").put("address", "reader"))));
		kinds.add(new Kind("expired before it arrived",
				c -> json(c, r -> r.put("expiresAt", Instant.now().minusSeconds(3600).toString()))));
		return kinds;
	}

	/** A request with every optional field set, changed by {@code change}. */
	private static byte[] json(Context context, Consumer<ObjectNode> change) {
		SendRequest request = SendRequest.builder(context.sender().accountId(), context.sender().serviceId())
			.requestId(context.requestId())
			.to(new EmailAddress("reader@recipients.example", "A Reader"))
			.cc(new EmailAddress("copy@recipients.example", "A Copy"))
			.bcc(EmailAddress.of("blind@recipients.example"))
			.subject("Hostile " + context.number())
			.text("Plain text.")
			.html("<p>HTML.</p>")
			.header("X-Campaign", "spring")
			.tag("scenario", context.fleet().scenario())
			.attachment(Attachment.of("invoice.pdf", "application/pdf", "%PDF-1.4".getBytes(StandardCharsets.US_ASCII)))
			.build();
		ObjectNode root = MailroomJson.mapper().valueToTree(request);
		change.accept(root);
		return MailroomJson.mapper().writeValueAsBytes(root);
	}

	private static ObjectNode first(ObjectNode root, String array) {
		return (ObjectNode) root.get(array).get(0);
	}

	private static byte[] invalidUtf8(Context context) {
		byte[] json = json(context, r -> r.put("subject", "INVALID-UTF8"));
		String text = new String(json, StandardCharsets.UTF_8);
		int at = text.indexOf("INVALID-UTF8");
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(json, 0, at);
		out.writeBytes(new byte[] { 'a', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE, 'b' });
		out.write(json, at + "INVALID-UTF8".length(), json.length - at - "INVALID-UTF8".length());
		return out.toByteArray();
	}

	private static byte[] deep(Context context) {
		int depth = 100_000;
		String open = "{\"a\":".repeat(depth);
		char[] close = new char[depth];
		Arrays.fill(close, '}');
		return ("{\"schemaVersion\":1,\"requestId\":\"" + context.requestId() + "\",\"tags\":" + open + "1"
				+ new String(close) + "}").getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] random(int size, int seed) {
		byte[] bytes = new byte[size];
		new Random(seed).nextBytes(bytes);
		// never valid JSON: starts with a byte no JSON text starts with
		bytes[0] = (byte) 0xFF;
		return bytes;
	}

}
