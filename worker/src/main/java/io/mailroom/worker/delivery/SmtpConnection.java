package io.mailroom.worker.delivery;

/**
 * One authenticated SMTP session of a mailbox, with what it was opened with: the service whose settings
 * and credentials it used (a service's sessions are not reused for another service of the same mailbox:
 * their settings or apps may differ).
 */
final class SmtpConnection {

	final MailroomTransport transport;

	final java.util.UUID serviceId;

	/** The service's version when it connected; settings may have changed since. */
	final long serviceVersion;

	/** The access token it authenticated with (XOAUTH2), or null for basic authentication. */
	final String token;

	private long lastUsedNanos;

	private int mails;

	SmtpConnection(MailroomTransport transport, java.util.UUID serviceId, long serviceVersion, String token,
			long now) {
		this.transport = transport;
		this.serviceId = serviceId;
		this.serviceVersion = serviceVersion;
		this.token = token;
		this.lastUsedNanos = now;
	}

	void used(long now) {
		lastUsedNanos = now;
		mails++;
	}

	long idleNanos(long now) {
		return now - lastUsedNanos;
	}

	/** Whether it carried a mail before (a fresh connection that fails is no reason to try another). */
	boolean reused() {
		return mails > 0;
	}

	@Override
	public String toString() {
		return "SmtpConnection[service=" + serviceId + ", version=" + serviceVersion + ", mails=" + mails + "]";
	}

}
