package io.mailroom.worker.delivery;

import java.io.OutputStream;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Angus Mail's SMTP transport, knowing whether the current mail reached DATA. A connection that breaks
 * before DATA has not handed over the mail, so sending it again on a fresh connection cannot duplicate
 * it; after DATA that is unknown.
 */
final class MailroomTransport extends SMTPTransport {

	private volatile boolean dataStarted;

	MailroomTransport(Session session) {
		super(session, new URLName("smtp", null, -1, null, null, null));
	}

	@Override
	protected void mailFrom() throws MessagingException {
		dataStarted = false;
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

	/** Whether the last mail got as far as DATA, so the server may have it. */
	boolean dataStarted() {
		return dataStarted;
	}

}
