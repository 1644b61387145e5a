package io.mailroom.worker.delivery;

import java.io.IOException;
import java.io.OutputStream;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Angus Mail's SMTP transport, knowing how far the current mail got and asking the sender's
 * {@link Fence} at the two moments that matter. A connection that breaks before DATA has not handed over
 * the mail, so sending it again cannot duplicate it; one that breaks after the final dot was written may
 * have handed it over (the server's reply was lost): that send is unconfirmed.
 */
final class MailroomTransport extends SMTPTransport {

	private volatile boolean dataStarted;

	private volatile boolean dataEnded;

	private volatile Fence fence = Fence.OPEN;

	MailroomTransport(Session session) {
		super(session, new URLName("smtp", null, -1, null, null, null));
	}

	/** The fence for the next mail on this connection. */
	void fence(Fence fence) {
		this.fence = fence;
	}

	@Override
	protected void mailFrom() throws MessagingException {
		dataStarted = false;
		dataEnded = false;
		if (!fence.mayStart()) {
			throw new Fenced("no new transaction: the sender no longer owns this mail");
		}
		super.mailFrom();
	}

	@Override
	protected OutputStream data() throws MessagingException {
		dataStarted = true;
		return super.data();
	}

	@Override
	protected OutputStream bdat() throws MessagingException {
		dataStarted = true;
		return super.bdat();
	}

	@Override
	protected void finishData() throws IOException, MessagingException {
		if (!fence.mayComplete()) {
			// without the final dot the server discards the message once the connection is dropped
			throw new Fenced("mail not completed: the sender no longer owns it");
		}
		dataEnded = true;
		super.finishData();
	}

	@Override
	protected void finishBdat() throws IOException, MessagingException {
		if (!fence.mayComplete()) {
			throw new Fenced("mail not completed: the sender no longer owns it");
		}
		dataEnded = true;
		super.finishBdat();
	}

	/** Whether the last mail got as far as DATA, so the server may have part of it. */
	boolean dataStarted() {
		return dataStarted;
	}

	/** Whether the whole of the last mail was handed over (the final dot written), so the server may have taken it. */
	boolean dataEnded() {
		return dataEnded;
	}

	/** The sender's fence stopped the mail before the server could take it. */
	static final class Fenced extends MessagingException {

		Fenced(String message) {
			super(message);
		}

	}

}
