package io.mailroom.core.services;

import java.time.Duration;

/**
 * Microsoft Graph's Outlook limits per {@link GraphMailbox} (app ID and mailbox), which the scheduler keeps
 * across all workers as it keeps Exchange's SMTP limits per mailbox.
 *
 * @param concurrentRequests requests in flight at once
 * @param requestsPerWindow requests per {@code requestWindow}
 * @param requestWindow the sliding window of {@code requestsPerWindow}
 * @param uploadBytesPerWindow bytes sent in upload sessions per {@code uploadWindow}
 * @param uploadWindow the sliding window of {@code uploadBytesPerWindow}
 */
public record GraphLimits(int concurrentRequests, int requestsPerWindow, Duration requestWindow,
		long uploadBytesPerWindow, Duration uploadWindow) {

	/** Graph's documented Outlook limits: 4 concurrent, 10,000 per 10 minutes, 150 MB upload per 5 minutes. */
	public static final GraphLimits OUTLOOK = new GraphLimits(4, 10_000, Duration.ofMinutes(10), 150L * 1024 * 1024,
			Duration.ofMinutes(5));

}
