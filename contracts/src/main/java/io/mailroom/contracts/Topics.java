package io.mailroom.contracts;

/** The Kafka topics of the contract. Their records are described in {@code asyncapi.yaml}. */
public final class Topics {

	/** {@link SendRequest}s from product features; key = serviceId, so one service's mail stays in order of arrival. */
	public static final String SEND_REQUESTS = "mail.send-requests";

	/** Records of {@link #SEND_REQUESTS} that could not be read at all, with the reason in headers. */
	public static final String SEND_REQUESTS_DLT = "mail.send-requests.dlt";

	/** One final {@link SendResult} per request; key = requestId. */
	public static final String SEND_RESULTS = "mail.send-results";

	/** {@link ServiceEvent}s: a service was authorized, needs re-authorization, is misconfigured or was deleted; key = serviceId. */
	public static final String SERVICE_EVENTS = "mail.service-events";

	/** Header on dead-lettered records: why the record could not be read. */
	public static final String DLT_REASON_HEADER = "mailroom-dlt-reason";

	private Topics() {
	}

}
