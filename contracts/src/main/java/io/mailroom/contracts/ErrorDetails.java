package io.mailroom.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Why a mail failed or a service needs attention, written for the admin who must act on it.
 *
 * @param category what kind of problem it is
 * @param code the most specific code known: a Microsoft identity code ({@code AADSTS70008}), an enhanced
 *     SMTP status code ({@code 5.7.139}), or a Mailroom code ({@code INVALID_ADDRESS})
 * @param message what happened, in one sentence
 * @param hint what to do about it, in one sentence
 * @param helpUrl where to read more, e.g. {@code https://login.microsoftonline.com/error?code=70008}
 * @param retryable whether sending again later may succeed without anyone changing anything
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorDetails(ErrorCategory category, String code, String message, String hint, String helpUrl,
		boolean retryable) {
}
