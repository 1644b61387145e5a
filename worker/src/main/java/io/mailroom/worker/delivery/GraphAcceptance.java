package io.mailroom.worker.delivery;

/**
 * How a mail went out when it was not plain SMTP: Graph's {@code 202 Accepted} (queued at Exchange, not yet
 * delivered), found in Sent Items after a {@code 504}, and whether SMTP was tried first.
 *
 * @param transport {@code GRAPH} (or {@code SMTP} for a note about SMTP)
 * @param httpStatus Graph's answer: 202, or 504 when the mail was then found in Sent Items
 * @param providerRequest Graph's {@code request-id}, for Microsoft support
 * @param fallbackReason the SMTP refusal that sent the mail to Graph, e.g. {@code 535 5.7.139}; null when
 *     Graph was the service's transport
 */
public record GraphAcceptance(String transport, int httpStatus, String providerRequest, String fallbackReason) {

	static GraphAcceptance accepted(String requestId) {
		return new GraphAcceptance("GRAPH", 202, requestId, null);
	}

	static GraphAcceptance foundAfterTimeout(String requestId) {
		return new GraphAcceptance("GRAPH", 504, requestId, null);
	}

	GraphAcceptance afterFallback(String reason) {
		return new GraphAcceptance(transport, httpStatus, providerRequest, reason);
	}

}
