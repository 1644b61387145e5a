package io.mailroom.worker.intake;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits intake applies to every request.
 *
 * @param maxRecipients the most recipients (to, cc and bcc together) per message; Exchange Online allows 500
 * @param defaultMaxMessageBytes the largest encoded message unless the service sets its own; Exchange
 *     Online's default is 35 MB (base64 attachments count a third more than their size)
 */
@Validated
@ConfigurationProperties("mailroom.intake")
public record IntakeProperties(@Min(1) @Max(10_000) @DefaultValue("500") int maxRecipients,
		@Min(1024) @DefaultValue("36700160") long defaultMaxMessageBytes) {
}
