package io.mailroom.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;

/**
 * The envelope of one mail transaction, as the commands accepted it. It takes no content itself: a provider
 * whose DATA reads the message (Gmail's) uses it as it is, Exchange's {@link MessageSubmission} adds the content.
 */
class Envelope implements MessageHandler {

	private String sender;

	private final List<String> recipients = new ArrayList<>();

	@Override
	public void from(String from) {
		this.sender = from;
	}

	@Override
	public void recipient(String recipient) {
		this.recipients.add(recipient);
	}

	String sender() {
		return this.sender;
	}

	List<String> recipients() {
		return this.recipients;
	}

	@Override
	public String data(InputStream data) throws RejectException, IOException {
		return null;
	}

	@Override
	public void done() {
	}

}
