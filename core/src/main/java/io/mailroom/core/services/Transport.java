package io.mailroom.core.services;

/** The way a service hands its mail to the provider. */
public enum Transport {

	/** SMTP AUTH (XOAUTH2) submission, e.g. smtp.office365.com:587. */
	SMTP,

	/** Microsoft Graph {@code sendMail}: works where SMTP AUTH is disabled. */
	GRAPH,

	/**
	 * SMTP, and Graph when Exchange answers that SMTP AUTH is disabled ({@code 535 5.7.139}) and the grant
	 * carries a Graph scope: the fallback shows in the result and the status.
	 */
	SMTP_WITH_GRAPH_FALLBACK;

	/** Whether sends may go through Graph. */
	public boolean usesGraph() {
		return this != SMTP;
	}

	/** Whether sends start on SMTP. */
	public boolean usesSmtp() {
		return this != GRAPH;
	}

}
