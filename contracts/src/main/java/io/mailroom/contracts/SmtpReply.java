package io.mailroom.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An SMTP server's reply, e.g. {@code 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled…}.
 *
 * @param code the three-digit reply code (RFC 5321)
 * @param enhancedCode the enhanced status code (RFC 3463), e.g. {@code 5.7.139}, when the server sent one
 * @param text the reply text after the codes
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SmtpReply(int code, String enhancedCode, String text) {
}
