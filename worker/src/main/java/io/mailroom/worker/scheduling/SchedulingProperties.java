package io.mailroom.worker.scheduling;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the worker dispatches mail ({@code mailroom.scheduling.*}). Limits are per mailbox: every service
 * that logs in as the same mailbox on the same host shares them.
 *
 * @param scanInterval how often to look for mailboxes with due mail that no runtime serves (retries,
 *     notBefore, mail stored by other workers); default 1s
 * @param leaseTtl how long a worker owns a mailbox without renewing (renewed every third of it); a killed
 *     worker's mailboxes move to another worker after this, and a worker that cannot renew stops sending a
 *     fifth of it before; default 15s
 * @param claimTtl how long claimed mail stays claimed unless its worker renews the claim; a killed or frozen
 *     worker's claimed mail goes back to the queue after this. It must outlast a database outage a live
 *     worker should ride out without sending anything twice, and an SMTP read timeout; default 60s
 * @param claimBatch the most mails a mailbox claims at once (never more than its free rate permits);
 *     default 50
 * @param maxUnsettled the most outcomes of a mailbox waiting to be written before it stops claiming and
 *     sending (the database is slow or away); default 200
 * @param defaultMaxConnections concurrent SMTP connections per mailbox unless its services say otherwise
 *     (the lowest of them counts); Exchange Online allows 3; default 3
 * @param microsoftHosts SMTP hosts whose mailboxes get {@code microsoftRatePerMinute} unless their services
 *     say otherwise
 * @param microsoftRatePerMinute Exchange Online's per-mailbox submission limit; default 30
 * @param defaultExpiry how long mail without {@code expiresAt} may wait to be sent
 * @param retry how transient failures are retried
 * @param breaker when a mailbox, an SMTP host or a tenant's identity platform is paused after repeated
 *     connection or server failures
 * @param housekeepingInterval how often expiry, holds, release of held mail and recovery run; default 5s
 * @param retention how long finished deliveries stay in the log; default 30 days
 * @param daily the daily sending limits of mailboxes on hosts that have one (Gmail's)
 */
@Validated
@ConfigurationProperties("mailroom.scheduling")
public record SchedulingProperties(@NotNull @DefaultValue("1s") Duration scanInterval,
		@NotNull @DefaultValue("15s") Duration leaseTtl, @NotNull @DefaultValue("60s") Duration claimTtl,
		@Min(1) @DefaultValue("50") int claimBatch, @Min(1) @DefaultValue("200") int maxUnsettled,
		@Min(1) @DefaultValue("3") int defaultMaxConnections,
		@NotNull @DefaultValue({ "smtp.office365.com", "smtp.office365.us", "smtp-mail.outlook.com",
				"smtp.partner.outlook.cn" }) List<String> microsoftHosts,
		@Min(1) @DefaultValue("30") int microsoftRatePerMinute, @Valid @NotNull @DefaultValue Expiry defaultExpiry,
		@Valid @NotNull @DefaultValue Retry retry, @Valid @NotNull @DefaultValue Breaker breaker,
		@NotNull @DefaultValue("5s") Duration housekeepingInterval, @NotNull @DefaultValue("30d") Duration retention,
		@Valid @NotNull @DefaultValue Daily daily) {

	@org.springframework.boot.context.properties.bind.ConstructorBinding
	public SchedulingProperties {
		if (leaseTtl != null && claimTtl != null && claimTtl.compareTo(leaseTtl) <= 0) {
			throw new IllegalArgumentException("mailroom.scheduling.claim-ttl must be longer than lease-ttl");
		}
	}

	/** Settings with the default daily limits. */
	public SchedulingProperties(Duration scanInterval, Duration leaseTtl, Duration claimTtl, int claimBatch,
			int maxUnsettled, int defaultMaxConnections, List<String> microsoftHosts, int microsoftRatePerMinute,
			Expiry defaultExpiry, Retry retry, Breaker breaker, Duration housekeepingInterval, Duration retention) {
		this(scanInterval, leaseTtl, claimTtl, claimBatch, maxUnsettled, defaultMaxConnections, microsoftHosts,
				microsoftRatePerMinute, defaultExpiry, retry, breaker, housekeepingInterval, retention,
				new Daily(List.of("smtp.gmail.com"), 2_000));
	}

	/**
	 * Daily sending limits per mailbox, over a rolling 24 hours (scaled by {@code retry.server-wait-scale} for test
	 * servers), counted from the mail the mailbox's services sent and kept on top of the rate and connection caps.
	 * A service's own {@code dailyLimit} lowers it for its mailbox (trial Workspace and consumer Gmail accounts).
	 *
	 * @param googleHosts SMTP hosts whose mailboxes get {@code googlePerDay} unless their services say otherwise
	 * @param googlePerDay Google Workspace's limit: 2,000 messages a day per user
	 */
	public record Daily(@NotNull @DefaultValue("smtp.gmail.com") List<String> googleHosts,
			@Min(1) @DefaultValue("2000") int googlePerDay) {
	}

	/** How long before its lease (or claim) lapses in the database a worker stops relying on it. */
	Duration fenceMargin(Duration ttl) {
		return ttl.dividedBy(5);
	}

	/**
	 * How long mail without {@code expiresAt} may wait, by priority. A producer's {@code expiresAt} only
	 * shortens it; nothing waits longer than {@code retry.maxAge}.
	 *
	 * @param transactional default 6h: a password reset or a sign-in link is useless a day later
	 * @param bulk default 24h
	 */
	public record Expiry(@NotNull @DefaultValue("6h") Duration transactional,
			@NotNull @DefaultValue("24h") Duration bulk) {
	}

	/**
	 * Exponential backoff with jitter.
	 *
	 * @param initialBackoff wait after the first failure; default 30s
	 * @param multiplier growth per further failure; default 2
	 * @param maxBackoff the longest wait between attempts; default 30m
	 * @param jitter random spread, as a fraction of the wait; default 0.2
	 * @param maxAge the longest any mail may wait after it was accepted, retried, held or paused; default 24h
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
	 * Circuit breakers: one per mailbox (Resilience4j, counting calls) and one per SMTP host (counting mailboxes)
	 * for SMTP failures, one per identity platform authority (Resilience4j) for token failures. Only failures that
	 * say the far side is unwell count (network, provider outage).
	 *
	 * @param failureRateThreshold percentage of failed calls that opens a mailbox's or an authority's circuit;
	 *     default 50
	 * @param slidingWindowSize calls considered; default 10
	 * @param minimumCalls calls before the rate counts; default 5
	 * @param openDuration how long an open circuit pauses dispatch before trial calls; default 30s
	 * @param host when the circuit of an SMTP host, shared by every mailbox on it, opens
	 */
	public record Breaker(@Min(1) @DefaultValue("50") int failureRateThreshold,
			@Min(1) @DefaultValue("10") int slidingWindowSize, @Min(1) @DefaultValue("5") int minimumCalls,
			@NotNull @DefaultValue("30s") Duration openDuration, @Valid @NotNull @DefaultValue HostBreaker host) {
	}

	/**
	 * The circuit of an SMTP host opens only when the host itself looks down: when most of the mailboxes that
	 * used it lately are failing, not when a few mailboxes fail many times (their own circuits pause them). A
	 * mailbox counts once, by the outcome of its last attempt through the host. Open, the circuit pauses every
	 * mailbox on the host for {@code breaker.open-duration}; then each mailbox may make one trial call at a time:
	 * the first that succeeds closes the circuit, failed trials of {@code failing-mailboxes} mailboxes open it
	 * again. Circuits are per worker.
	 *
	 * @param window a mailbox counts as active on the host while its last attempt through it ended within this;
	 *     default 60s (as long as the SMTP read timeout, so that a host that stopped answering is judged by its
	 *     timeouts, not by the successes from before it stopped)
	 * @param failingMailboxes the fewest active mailboxes whose last attempt failed that open the circuit; a host
	 *     with fewer mailboxes never opens it, their own circuits still pause them; default 3
	 * @param failingPercentage the circuit opens when more than this percentage of the active mailboxes failed
	 *     their last attempt (and at least {@code failing-mailboxes} did); default 50
	 */
	public record HostBreaker(@NotNull @DefaultValue("60s") Duration window,
			@Min(1) @DefaultValue("3") int failingMailboxes,
			@Min(0) @Max(99) @DefaultValue("50") int failingPercentage) {

		public HostBreaker {
			if (window != null && (window.isZero() || window.isNegative())) {
				throw new IllegalArgumentException("mailroom.scheduling.breaker.host.window must be positive");
			}
		}

	}

}
