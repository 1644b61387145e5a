package io.mailroom.worker.scheduling;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the worker dispatches mail.
 *
 * @param scanInterval how often to look for services with due mail that no lane serves (retries, notBefore,
 *     mail stored by other workers); default 1s
 * @param leaseTtl how long a worker owns a service's dispatch without renewing; a killed worker's services
 *     move to another worker after this; default 15s
 * @param claimTtl how long claimed mail stays claimed if its worker vanishes and nobody takes over the lease;
 *     default 10m
 * @param claimBatch the most mails a lane claims at once; default 50
 * @param defaultMaxConnections concurrent SMTP connections per service unless the service says otherwise;
 *     Exchange Online allows 3 per mailbox; default 3
 * @param microsoftHosts SMTP hosts whose services get {@code microsoftRatePerMinute} unless they say otherwise
 * @param microsoftRatePerMinute Exchange Online's per-mailbox submission limit; default 30
 * @param retry how transient failures are retried
 * @param breaker when a service or SMTP host is paused after repeated connection or server failures
 * @param housekeepingInterval how often expiry, release of held mail and recovery run; default 5s
 * @param retention how long finished deliveries stay in the log; default 30 days
 */
@Validated
@ConfigurationProperties("mailroom.scheduling")
public record SchedulingProperties(@NotNull @DefaultValue("1s") Duration scanInterval,
		@NotNull @DefaultValue("15s") Duration leaseTtl, @NotNull @DefaultValue("10m") Duration claimTtl,
		@Min(1) @DefaultValue("50") int claimBatch, @Min(1) @DefaultValue("3") int defaultMaxConnections,
		@NotNull @DefaultValue({ "smtp.office365.com", "smtp.office365.us", "smtp-mail.outlook.com",
				"smtp.partner.outlook.cn" }) List<String> microsoftHosts,
		@Min(1) @DefaultValue("30") int microsoftRatePerMinute, @Valid @NotNull @DefaultValue Retry retry,
		@Valid @NotNull @DefaultValue Breaker breaker, @NotNull @DefaultValue("5s") Duration housekeepingInterval,
		@NotNull @DefaultValue("30d") Duration retention) {

	/**
	 * Exponential backoff with jitter.
	 *
	 * @param initialBackoff wait after the first failure; default 30s
	 * @param multiplier growth per further failure; default 2
	 * @param maxBackoff the longest wait between attempts; default 30m
	 * @param jitter random spread, as a fraction of the wait; default 0.2
	 * @param maxAge how long after acceptance a mail may still be retried before it FAILs; default 24h
	 * @param serverWaitScale multiplies the waits that server replies call for (a minute after
	 *     {@code 421 4.4.2}, 15 s after {@code 432 4.3.2}, a day after a submission quota); 1 for real servers,
	 *     lower only for test servers with shorter windows
	 */
	public record Retry(@NotNull @DefaultValue("30s") Duration initialBackoff,
			@DecimalMin("1.0") @DefaultValue("2.0") double multiplier, @NotNull @DefaultValue("30m") Duration maxBackoff,
			@DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0.2") double jitter,
			@NotNull @DefaultValue("24h") Duration maxAge,
			@DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("1.0") double serverWaitScale) {
	}

	/**
	 * Resilience4j circuit breakers, one per service and one per SMTP host.
	 *
	 * @param failureRateThreshold percentage of failed calls that opens the circuit; default 50
	 * @param slidingWindowSize calls considered; default 10
	 * @param minimumCalls calls before the rate counts; default 5
	 * @param openDuration how long an open circuit pauses dispatch before one trial call; default 30s
	 */
	public record Breaker(@Min(1) @DefaultValue("50") int failureRateThreshold,
			@Min(1) @DefaultValue("10") int slidingWindowSize, @Min(1) @DefaultValue("5") int minimumCalls,
			@NotNull @DefaultValue("30s") Duration openDuration) {
	}

}
