package io.mailroom.worker.delivery;

/**
 * One authenticated SMTP session of a service, with what it was opened with.
 *
 * @param serviceVersion the service's version when it connected; settings may have changed since
 * @param token the access token it authenticated with (XOAUTH2), or null for basic authentication
 */
final class SmtpConnection {

	final MailroomTransport transport;

	final long serviceVersion;

	final String token;

	private long lastUsedNanos;

	private int mails;

	SmtpConnection(MailroomTransport transport, long serviceVersion, String token, long now) {
		this.transport = transport;
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
		return "SmtpConnection[version=" + serviceVersion + ", mails=" + mails + "]";
	}

}
