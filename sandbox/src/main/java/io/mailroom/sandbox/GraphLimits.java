package io.mailroom.sandbox;

import java.time.Duration;

/**
 * Microsoft Graph's Outlook limits, per app ID and mailbox ("Outlook service limits" in Graph's throttling
 * documentation).
 *
 * @param concurrentRequests requests in flight at once (4)
 * @param requestsPerWindow requests per {@code requestWindow} (10,000 per 10 minutes)
 * @param uploadBytesPerWindow bytes of upload sessions per {@code uploadWindow} (150 MB per 5 minutes)
 * @param maxRequestBytes largest request body, beyond which a large message needs an upload session (4 MB)
 * @param maxMessageBytes largest message with its attachments (150 MB)
 */
public record GraphLimits(int concurrentRequests, int requestsPerWindow, Duration requestWindow,
		long uploadBytesPerWindow, Duration uploadWindow, int maxRequestBytes, long maxMessageBytes) {

	public static final GraphLimits OUTLOOK = new GraphLimits(4, 10_000, Duration.ofMinutes(10), 150L * 1024 * 1024,
			Duration.ofMinutes(5), 4 * 1024 * 1024, 150L * 1024 * 1024);

	/** No limits worth meeting, for benchmarks. */
	public static final GraphLimits NONE = new GraphLimits(Integer.MAX_VALUE, Integer.MAX_VALUE, Duration.ofMinutes(10),
			Long.MAX_VALUE, Duration.ofMinutes(5), 4 * 1024 * 1024, 150L * 1024 * 1024);

}
