package io.mailroom.api.testemail;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param answerWithin how long a test email request waits for the worker's outcome before answering 202 with the
 *     requestId to poll (default 30 seconds)
 * @param pollInterval how often the delivery row is checked meanwhile, for mail the worker holds (default 250 ms)
 * @param expiresAfter when the test mail expires unsent, e.g. while held (default 10 minutes)
 */
@Validated
@ConfigurationProperties("mailroom.api.test-email")
record TestEmailProperties(@NotNull @DefaultValue("30s") Duration answerWithin,
		@NotNull @DefaultValue("250ms") Duration pollInterval, @NotNull @DefaultValue("10m") Duration expiresAfter) {
}
