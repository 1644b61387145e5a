package io.mailroom.worker.delivery;

import java.io.IOException;
import java.io.OutputStream;

import jakarta.mail.Address;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

/**
 * A composed mail as the bytes it was encoded to, once: sending writes them in one piece. Angus Mail's
 * transport sends only a {@link MimeMessage} and takes the envelope sender from {@link #getFrom()}; left to
 * itself it would encode the whole message again, part by part and byte by byte, for every send.
 *
 * <p>Only a vehicle for {@code SMTPTransport#sendMessage}: its headers and content are in the bytes, not in
 * this object (read them back with {@code new MimeMessage(session, stream)}). The bytes carry no
 * {@code Bcc} or {@code Content-Length} header, the two a transport would leave out.
 */
final class EncodedMail extends MimeMessage {

	private final byte[] bytes;

	private final Address from;

	EncodedMail(Session session, byte[] bytes, Address from) {
		super(session);
		this.bytes = bytes;
		this.from = from;
	}

	/** The message as sent (line ends are made CRLF and leading dots doubled on the way, as for any message). */
	byte[] bytes() {
		return bytes;
	}

	@Override
	public Address[] getFrom() {
		return new Address[] { from };
	}

	@Override
	public int getSize() {
		return bytes.length;
	}

	@Override
	public void writeTo(OutputStream out) throws IOException {
		out.write(bytes);
	}

	@Override
	public void writeTo(OutputStream out, String[] ignoreHeaders) throws IOException {
		out.write(bytes);
	}

	/** The bytes are final: nothing to update, and the Message-ID stays the request's. */
	@Override
	public void saveChanges() {
	}

}
