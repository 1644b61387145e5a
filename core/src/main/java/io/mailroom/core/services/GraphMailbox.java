package io.mailroom.core.services;

import java.util.Locale;

/**
 * What Microsoft Graph counts its limits against: one app and one mailbox. Every service that sends through
 * Graph with the same app as the same mailbox shares these limits, across all workers.
 *
 * @param appId the app's client ID, lower case
 * @param mailbox the mailbox address, lower case
 */
public record GraphMailbox(String appId, String mailbox) {

	public GraphMailbox {
		appId = appId.toLowerCase(Locale.ROOT);
		mailbox = mailbox.toLowerCase(Locale.ROOT);
	}

	/** A stable key for leases and rate windows, e.g. {@code graph:<appId>:<mailbox>}. */
	public String key() {
		return "graph:" + appId + ":" + mailbox;
	}

}
