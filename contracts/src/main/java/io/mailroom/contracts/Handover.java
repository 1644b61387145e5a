package io.mailroom.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How a sent mail was handed to the provider when it was not plain SMTP: Microsoft Graph's
 * {@code 202 Accepted} means queued at Exchange, not delivered (a later failure arrives only as a
 * non-delivery report in the sender's mailbox).
 *
 * @param transport {@code GRAPH}; other values may be added (treat an unknown one as "not SMTP")
 * @param httpStatus the provider's answer: 202, or 504 when the mail was then found in Sent Items
 * @param fallbackFrom the SMTP refusal that made Mailroom send through Graph instead, e.g.
 *     {@code 535 5.7.139}; absent when Graph is the service's own transport
 * @param providerRequestId the provider's request ID (Graph's {@code request-id}), for Microsoft support
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Handover(String transport, Integer httpStatus, String fallbackFrom, String providerRequestId) {
}
