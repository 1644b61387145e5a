package io.mailroom.benchmark;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.mailroom.contracts.SendRequest;
import io.mailroom.contracts.SendStatus;

/**
 * Requests through Mailroom as a product sees it: published to {@code mail.send-requests}, results
 * consumed from {@code mail.send-results}. Latency is result consumed minus the request's record
 * timestamp; throughput is requests over first publish to last result.
 */
final class EndToEnd {

	private final RequestPublisher requests;

	private final ResultCollector results;

	EndToEnd(RequestPublisher requests, ResultCollector results) {
		this.requests = requests;
		this.results = results;
	}

	/** Publishes the requests in one burst and returns when the first was published (epoch milliseconds). */
	long publish(List<SendRequest> mails) {
		return requests.publish(mails);
	}

	/** Publishes the requests in one burst and waits for all their results. */
	Run burst(List<SendRequest> mails, Duration timeout) {
		long first = requests.publish(mails);
		return await(mails, first, timeout);
	}

	/** Waits for the results of requests already published. */
	Run await(List<SendRequest> mails, long firstPublished, Duration timeout) {
		List<UUID> ids = mails.stream().map(SendRequest::requestId).toList();
		if (!results.await(ids, timeout)) {
			long missing = ids.stream().filter(id -> results.consumedAt(id) == null).count();
			throw new IllegalStateException(missing + " of " + ids.size() + " requests had no result after " + timeout);
		}
		double[] latencies = new double[ids.size()];
		long last = 0;
		for (int i = 0; i < ids.size(); i++) {
			long consumed = results.consumedAt(ids.get(i));
			latencies[i] = consumed - requests.enqueuedAt(ids.get(i));
			last = Math.max(last, consumed);
		}
		return new Run(ids.size(), Duration.ofMillis(last - firstPublished), Latencies.ofMillis(latencies),
				latencies, results.statuses(ids), last);
	}

	/**
	 * What became of a set of requests.
	 * @param elapsed first publish to last result (meaningful for bursts)
	 * @param inPublishOrder each request's latency in milliseconds, in the order they were published
	 * @param lastResultAt when the last result was consumed, in epoch milliseconds
	 */
	record Run(int messages, Duration elapsed, Latencies latencies, double[] inPublishOrder,
			Map<SendStatus, Integer> statuses, long lastResultAt) {

		double throughput() {
			return messages / (elapsed.toNanos() / 1e9);
		}

		boolean allSent() {
			return statuses.getOrDefault(SendStatus.SENT, 0) == messages;
		}

	}

}
