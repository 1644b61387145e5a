package io.mailroom.worker.intake;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits intake applies to every request. Lengths count Unicode characters (code points). A request over a
 * limit is REJECTED at intake with the field named, instead of failing at the SMTP server after it was
 * queued.
 *
 * @param maxRecipients the most recipients (to, cc and bcc together) per message; Exchange Online allows 500
 * @param defaultMaxMessageBytes the largest encoded message unless the service sets its own; Exchange
 *     Online's default is 35 MB (base64 attachments count a third more than their size)
 * @param maxSubjectLength the longest subject: one header line of RFC 5322 (998 characters); Exchange
 *     refuses a mail whose subject runs to megabytes
 * @param maxDisplayNameLength the longest display name of a recipient
 * @param maxHeaderValueLength the longest value of an extra header or an attachment's content type; at
 *     most 918, so that the longest header name, {@code ": "} and the value stay within SMTP's 998-character
 *     line
 * @param maxTags the most tags per request
 * @param maxTagLength the longest tag name and the longest tag value
 * @param maxFilenameLength the longest attachment filename (most file systems allow 255)
 * @param maxAccountIdLength the longest accountId
 */
@Validated
@ConfigurationProperties("mailroom.intake")
public record IntakeProperties(@Min(1) @Max(10_000) @DefaultValue("500") int maxRecipients,
		@Min(1024) @DefaultValue("36700160") long defaultMaxMessageBytes,
		@Min(1) @Max(100_000) @DefaultValue("998") int maxSubjectLength,
		@Min(1) @Max(10_000) @DefaultValue("256") int maxDisplayNameLength,
		@Min(1) @Max(918) @DefaultValue("900") int maxHeaderValueLength,
		@Min(0) @Max(10_000) @DefaultValue("50") int maxTags,
		@Min(1) @Max(10_000) @DefaultValue("256") int maxTagLength,
		@Min(1) @Max(10_000) @DefaultValue("255") int maxFilenameLength,
		@Min(1) @Max(10_000) @DefaultValue("255") int maxAccountIdLength) {

	/** The defaults, for code and tests that build intake's parts without Spring. */
	public static IntakeProperties defaults() {
		return new IntakeProperties(500, 36_700_160, 998, 256, 900, 50, 256, 255, 255);
	}

}
