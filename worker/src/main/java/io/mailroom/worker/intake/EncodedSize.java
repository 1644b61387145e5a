package io.mailroom.worker.intake;

import java.nio.charset.StandardCharsets;

import io.mailroom.contracts.Attachment;
import io.mailroom.contracts.SendRequest;

/**
 * A cheap upper bound of a request's encoded MIME size, so intake can refuse what the server would refuse
 * without building the message: bodies and attachments as if base64-encoded (4/3, plus a line break per
 * 76 characters), plus room for headers. Exact for attachments; generous for text, which is usually sent
 * quoted-printable.
 */
final class EncodedSize {

	private static final int HEADER_ALLOWANCE = 4096;

	private static final int PART_ALLOWANCE = 512;

	private EncodedSize() {
	}

	static long estimate(SendRequest request) {
		long size = HEADER_ALLOWANCE + request.allRecipients().size() * 80L;
		size += base64(utf8(request.text())) + base64(utf8(request.html()));
		for (Attachment attachment : request.attachments()) {
			// the base64 text we hold decodes to roughly 3/4 of its length; re-encoded it is that length again
			long decoded = attachment.content() == null ? 0 : attachment.content().length() * 3L / 4;
			size += PART_ALLOWANCE + base64(decoded);
		}
		for (var header : request.headers().entrySet()) {
			size += header.getKey().length() + header.getValue().length() + 4;
		}
		return size;
	}

	private static long utf8(String value) {
		return value == null ? 0 : value.getBytes(StandardCharsets.UTF_8).length;
	}

	private static long base64(long bytes) {
		long encoded = (bytes + 2) / 3 * 4;
		return encoded + (encoded / 76) * 2 + PART_ALLOWANCE;
	}

}
