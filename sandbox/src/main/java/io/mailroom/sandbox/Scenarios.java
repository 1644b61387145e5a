package io.mailroom.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.mailroom.sandbox.Directory.Account;

/**
 * Failure injection: every failure a delivery worker or the authorization flow must handle, on demand.
 * Each method starts a {@link Scenario} that lasts until it is cleared.
 *
 * <p>Identity scenarios that end grants ({@link #revokeGrants}, {@link #expireRefreshTokens},
 * {@link #requireMfa}) apply to the refresh tokens issued before the scenario started, as in Entra ID: a new
 * sign-in afterwards gets tokens that work. Access tokens already issued stay valid until they expire:
 * Microsoft's access tokens cannot be revoked.
 */
public final class Scenarios {

	/** The conditions scenarios put in place; endpoints ask for them. */
	sealed interface Condition {

		record GrantsRevoked(String userId, long upToGrant, Instant at) implements Condition {
		}

		record RefreshTokensExpired(String userId, long upToGrant, RefreshTokenExpiry expiry) implements Condition {
		}

		record MfaRequired(String userId, long upToGrant) implements Condition {
		}

		record ConditionalAccessBlock(String userId) implements Condition {
		}

		record ConsentDeclined(String userId) implements Condition {
		}

		record ClientSecretsExpired(String clientId, List<String> secretIds) implements Condition {
		}

		/** {@code tenantId} null: every tenant. */
		record IdentityOutage(AtomicInteger remaining, String tenantId) implements Condition {
		}

		record IdentityHang(String tenantId, CountDownLatch cleared) implements Hold {
		}

		record TokenLatency(Duration delay) implements Condition {
		}

		record AccessTokenLifetime(Duration lifetime) implements Condition {
		}

		record SmtpAuthDisabled(String userId) implements Condition {
		}

		record SmtpAuthEnabled(String userId) implements Condition {
		}

		record SmtpAuthDisabledForTenant(String tenantId) implements Condition {
		}

		record BasicAuthDisabledForTenant(String tenantId) implements Condition {
		}

		record TransientFailures(AtomicInteger remaining, double ratio) implements Condition {
		}

		record SmtpLatency(Duration delay) implements Condition {
		}

		record SmtpHang(String userId, CountDownLatch cleared) implements Hold {
		}

		record RecipientRejected(String address, int code, String enhancedCode, String text) implements Condition {
		}

		/** @param userId the sending mailbox's user; null for every mailbox */
		record OutsideRecipientsRefused(String userId) implements Condition {
		}

		record ConnectionDropped(SmtpStage stage, AtomicInteger remaining) implements Condition {
		}

		record Limits(SmtpLimits limits) implements Condition {
		}

		record GraphFailures(int status, String code, String message, boolean sentAnyway, AtomicInteger remaining)
				implements Condition {
		}

		record RestApiDisabled(String userId) implements Condition {
		}

		record GraphLimitsSet(GraphLimits limits) implements Condition {
		}

	}

	/** A condition that holds requests unanswered until it is cleared. */
	sealed interface Hold extends Condition {

		/** Counted down once, when the scenario is cleared: held requests go on. */
		CountDownLatch cleared();

	}

	/** Whether SMTP AUTH is allowed for a mailbox, and if not, who disabled it. */
	enum SmtpAuthSetting {

		ENABLED, DISABLED_FOR_MAILBOX, DISABLED_FOR_TENANT

	}

	private final List<Active> active = new CopyOnWriteArrayList<>();

	private final AtomicLong ids = new AtomicLong();

	private final Directory directory;

	private final LongSupplier lastGrant;

	private final SmtpLimits defaultLimits;

	Scenarios(Directory directory, LongSupplier lastGrant, SmtpLimits defaultLimits) {
		this.directory = directory;
		this.lastGrant = lastGrant;
		this.defaultLimits = defaultLimits;
	}

	// Identity platform

	/**
	 * An admin revoked the user's sessions (or reset their password): their refresh tokens fail with
	 * {@code invalid_grant} AADSTS50173.
	 */
	public Scenario revokeGrants(String userPrincipalName) {
		User user = user(userPrincipalName);
		return start(new Condition.GrantsRevoked(user.id(), this.lastGrant.getAsLong(), this.directory.clock().instant()),
				"grants of " + user.userPrincipalName() + " revoked");
	}

	/** The user's refresh tokens expired: {@code invalid_grant} AADSTS70008. */
	public Scenario expireRefreshTokens(String userPrincipalName) {
		return expireRefreshTokens(userPrincipalName, RefreshTokenExpiry.EXPIRED);
	}

	/** The user's refresh tokens expired, for the given reason (AADSTS70008 or AADSTS700082). */
	public Scenario expireRefreshTokens(String userPrincipalName, RefreshTokenExpiry expiry) {
		User user = user(userPrincipalName);
		return start(new Condition.RefreshTokensExpired(user.id(), this.lastGrant.getAsLong(), expiry),
				"refresh tokens of " + user.userPrincipalName() + " expired (AADSTS" + expiry.aadsts() + ")");
	}

	/**
	 * A Conditional Access policy now requires MFA: refreshing the user's tokens fails with
	 * {@code invalid_grant} AADSTS50076 (suberror {@code basic_action}) until they sign in again.
	 */
	public Scenario requireMfa(String userPrincipalName) {
		User user = user(userPrincipalName);
		return start(new Condition.MfaRequired(user.id(), this.lastGrant.getAsLong()),
				"MFA required for " + user.userPrincipalName());
	}

	/** A Conditional Access policy blocks the user: sign-in and refresh fail with AADSTS53003. */
	public Scenario conditionalAccessBlock(String userPrincipalName) {
		User user = user(userPrincipalName);
		return start(new Condition.ConditionalAccessBlock(user.id()),
				"Conditional Access blocks " + user.userPrincipalName());
	}

	/**
	 * The user declines consent whatever they click: the authorization ends with a redirect carrying
	 * {@code error=access_denied} and AADSTS65004.
	 */
	public Scenario declineConsent(String userPrincipalName) {
		User user = user(userPrincipalName);
		return start(new Condition.ConsentDeclined(user.id()), user.userPrincipalName() + " declines consent");
	}

	/** Every secret the app has now is expired: {@code invalid_client} AADSTS7000222, HTTP 401. */
	public Scenario expireClientSecret(AppRegistration app) {
		Directory.App registered = this.directory.registeredApp(app.clientId())
			.orElseThrow(() -> new IllegalArgumentException("No app " + app.clientId()));
		List<String> ids = registered.secrets.stream().map(ClientSecret::id).toList();
		return start(new Condition.ClientSecretsExpired(registered.clientId, ids),
				"client secrets of " + registered.clientId + " expired");
	}

	/** The token endpoint answers {@code 503 temporarily_unavailable} until cleared. */
	public Scenario identityOutage() {
		return start(new Condition.IdentityOutage(new AtomicInteger(-1), null), "identity platform unavailable");
	}

	/** The token endpoint answers {@code 503 temporarily_unavailable} to the next {@code requests} requests. */
	public Scenario identityOutage(int requests) {
		return start(new Condition.IdentityOutage(new AtomicInteger(positive(requests)), null),
				"identity platform unavailable for " + requests + " token requests");
	}

	/**
	 * The token endpoint answers {@code 503 temporarily_unavailable} to requests for one tenant (its tenant ID
	 * or domain in the URL) until cleared; other tenants are served. Microsoft's outages are often regional,
	 * so one customer's tenant can be unreachable while another's works.
	 */
	public Scenario identityOutage(Tenant tenant) {
		return start(new Condition.IdentityOutage(new AtomicInteger(-1), tenant.id()),
				"identity platform unavailable for tenant " + tenant.domain());
	}

	/**
	 * Token requests for one tenant get no answer until the scenario is cleared: the connection stays open
	 * and silent, as behind a stalled proxy. Only the client's read timeout ends the wait.
	 */
	public Scenario identityHang(Tenant tenant) {
		return start(new Condition.IdentityHang(tenant.id(), new CountDownLatch(1)),
				"token requests for tenant " + tenant.domain() + " hang");
	}

	/** Every token endpoint response is delayed. */
	public Scenario tokenLatency(Duration delay) {
		return start(new Condition.TokenLatency(delay), "token responses delayed by " + delay);
	}

	/**
	 * Access tokens issued while this is active expire after {@code lifetime} instead of Microsoft's 60–90
	 * minutes (the newest such scenario wins), so that a run of minutes sees tokens expire and be refreshed.
	 */
	public Scenario accessTokenLifetime(Duration lifetime) {
		if (lifetime.isNegative() || lifetime.isZero()) {
			throw new IllegalArgumentException("An access token lifetime must be positive");
		}
		return start(new Condition.AccessTokenLifetime(lifetime), "access tokens last " + lifetime);
	}

	// Exchange Online

	/**
	 * {@code Set-CASMailbox -SmtpClientAuthenticationDisabled $true}: AUTH fails with {@code 535 5.7.139}
	 * "…disabled for the Mailbox…", for OAuth too.
	 */
	public Scenario disableSmtpAuth(String userPrincipalName) {
		User user = user(userPrincipalName);
		return start(new Condition.SmtpAuthDisabled(user.id()), "SMTP AUTH disabled for " + user.userPrincipalName());
	}

	/**
	 * {@code Set-CASMailbox -SmtpClientAuthenticationDisabled $false}: the mailbox allows SMTP AUTH even where
	 * the tenant disables it (the mailbox setting wins).
	 */
	public Scenario enableSmtpAuth(String userPrincipalName) {
		User user = user(userPrincipalName);
		return start(new Condition.SmtpAuthEnabled(user.id()), "SMTP AUTH enabled for " + user.userPrincipalName());
	}

	/**
	 * {@code Set-TransportConfig -SmtpClientAuthenticationDisabled $true}: AUTH fails with {@code 535 5.7.139}
	 * "…disabled for the Tenant…" for every mailbox without its own setting.
	 */
	public Scenario disableSmtpAuthForTenant(Tenant tenant) {
		return start(new Condition.SmtpAuthDisabledForTenant(tenant.id()), "SMTP AUTH disabled for tenant " + tenant.domain());
	}

	/** Basic authentication (LOGIN, PLAIN) is retired in the tenant: {@code 550 5.7.30}. OAuth still works. */
	public Scenario disableBasicAuthForTenant(Tenant tenant) {
		return start(new Condition.BasicAuthDisabledForTenant(tenant.id()), "basic SMTP AUTH disabled for tenant " + tenant.domain());
	}

	/**
	 * The next {@code transactions} messages are refused after DATA with
	 * {@code 451 4.7.0 Temporary server error. Please try again later. PRX4}.
	 */
	public Scenario transientFailures(int transactions) {
		return start(new Condition.TransientFailures(new AtomicInteger(positive(transactions)), 1.0),
				"next " + transactions + " messages fail with 451 4.7.0");
	}

	/** A random share (0–1) of messages is refused after DATA with {@code 451 4.7.0}. */
	public Scenario transientFailureRatio(double ratio) {
		if (ratio < 0 || ratio > 1) {
			throw new IllegalArgumentException("ratio must be between 0 and 1");
		}
		return start(new Condition.TransientFailures(new AtomicInteger(-1), ratio),
				String.format("%.0f%% of messages fail with 451 4.7.0", ratio * 100));
	}

	/** Every SMTP reply (and the greeting) is delayed. */
	public Scenario smtpLatency(Duration delay) {
		return start(new Condition.SmtpLatency(delay), "SMTP replies delayed by " + delay);
	}

	/**
	 * Exchange stops answering one mailbox: AUTH as that mailbox and MAIL FROM in its sessions get no reply
	 * until the scenario is cleared (nothing is accepted meanwhile, so a client that gives up has sent
	 * nothing). Other mailboxes are served as usual.
	 */
	public Scenario smtpHang(String userPrincipalName) {
		User user = user(userPrincipalName);
		return start(new Condition.SmtpHang(user.id(), new CountDownLatch(1)),
				"SMTP hangs for " + user.userPrincipalName());
	}

	/** RCPT TO this address is answered with the given reply, e.g. {@code 550, "5.1.10", "RESOLVER…"}. */
	public Scenario rejectRecipient(String address, int code, String enhancedCode, String text) {
		if (code < 400 || code > 599) {
			throw new IllegalArgumentException("A rejection needs a 4xx or 5xx code");
		}
		return start(new Condition.RecipientRejected(Directory.normalize(address), code, enhancedCode, text),
				"RCPT " + address + " rejected with " + code + " " + enhancedCode);
	}

	/**
	 * What the seed says of Azure SMTP: mail from an app goes only to addresses of its own organization
	 * (single-tenant app or basic auth) or of a Microsoft organization (multi-tenant app); RCPT TO another
	 * address gets {@code 550 5.7.1}, with a text the stand-in labels as its own. For every mailbox.
	 */
	public Scenario refuseOutsideRecipients() {
		return start(new Condition.OutsideRecipientsRefused(null), "recipients outside the organization refused");
	}

	/** {@link #refuseOutsideRecipients()} for mail sent by one mailbox. */
	public Scenario refuseOutsideRecipients(String userPrincipalName) {
		User user = user(userPrincipalName);
		return start(new Condition.OutsideRecipientsRefused(user.id()),
				"recipients outside the organization of " + user.userPrincipalName() + " refused");
	}

	/** The next {@code times} connections reaching {@code stage} are dropped without a reply. */
	public Scenario dropConnection(SmtpStage stage, int times) {
		return start(new Condition.ConnectionDropped(stage, new AtomicInteger(positive(times))),
				"next " + times + " connections dropped at " + stage);
	}

	/** Other per-mailbox limits than the sandbox was started with (the newest such scenario wins). */
	public Scenario smtpLimits(SmtpLimits limits) {
		return start(new Condition.Limits(limits), "SMTP limits " + limits);
	}

	/** The scenarios in force, oldest first. */
	// Microsoft Graph

	/**
	 * The next {@code times} sendMail or send requests get {@code status} with Graph's error body, e.g.
	 * {@code 503 ServiceUnavailable} or {@code 429 ApplicationThrottled}; nothing is sent.
	 */
	public Scenario graphFailures(int status, String code, String message, int times) {
		return start(new Condition.GraphFailures(status, code, message, false, new AtomicInteger(positive(times))),
				"Graph answers " + status + " " + code + " " + times + " time(s)");
	}

	/**
	 * The next {@code times} sendMail or send requests are accepted and the mail sent, but the client gets
	 * {@code 504 Gateway Timeout}: Graph has no idempotency key, so a blind retry sends it again.
	 */
	public Scenario graphTimeoutAfterSending(int times) {
		return start(new Condition.GraphFailures(504, "UnknownError", "", true, new AtomicInteger(positive(times))),
				"Graph sends, then answers 504, " + times + " time(s)");
	}

	/** The mailbox is inactive, soft-deleted or on-premises: Graph answers {@code MailboxNotEnabledForRESTAPI}. */
	public Scenario disableRestApi(String userPrincipalName) {
		return start(new Condition.RestApiDisabled(user(userPrincipalName).id()),
				"REST API not enabled for " + userPrincipalName);
	}

	/** Other Graph limits for a test ({@code GraphLimits.NONE} for benchmarks). */
	public Scenario graphLimits(GraphLimits limits) {
		return start(new Condition.GraphLimitsSet(limits), "Graph limits " + limits);
	}

	public List<Scenario> active() {
		return List.copyOf(this.active);
	}

	/** Ends every scenario (requests they hold go on). */
	public void clearAll() {
		List.copyOf(this.active).forEach(Scenario::clear);
	}

	@Override
	public String toString() {
		return this.active.stream().map(Scenario::description).collect(Collectors.joining(", ", "Scenarios[", "]"));
	}

	// What the endpoints ask.

	/** Why a refresh token of this grant no longer works, if it does not. */
	Optional<Condition> refreshTokenFailure(String userId, long grant) {
		Optional<Condition> failure = find(Condition.GrantsRevoked.class,
				(c) -> c.userId().equals(userId) && grant <= c.upToGrant()).map(Condition.class::cast);
		failure = failure.or(() -> find(Condition.RefreshTokensExpired.class,
				(c) -> c.userId().equals(userId) && grant <= c.upToGrant()));
		failure = failure.or(() -> find(Condition.ConditionalAccessBlock.class, (c) -> c.userId().equals(userId)));
		return failure.or(() -> find(Condition.MfaRequired.class,
				(c) -> c.userId().equals(userId) && grant <= c.upToGrant()));
	}

	boolean blockedByConditionalAccess(String userId) {
		return find(Condition.ConditionalAccessBlock.class, (c) -> c.userId().equals(userId)).isPresent();
	}

	boolean consentDeclined(String userId) {
		return find(Condition.ConsentDeclined.class, (c) -> c.userId().equals(userId)).isPresent();
	}

	boolean clientSecretExpired(String clientId, String secretId) {
		return find(Condition.ClientSecretsExpired.class,
				(c) -> c.clientId().equals(clientId) && c.secretIds().contains(secretId)).isPresent();
	}

	/**
	 * Whether this token request meets an outage (counting it against a limited one).
	 * @param tenantId the tenant the request names, or null for {@code common} and {@code organizations}
	 */
	boolean outageHits(String tenantId) {
		return consume(Condition.IdentityOutage.class,
				(outage) -> outage.tenantId() == null || outage.tenantId().equals(tenantId),
				Condition.IdentityOutage::remaining, 1.0);
	}

	/** Holds a token request for this tenant while a hang applies to it. */
	void holdTokenRequest(String tenantId) {
		hold(Condition.IdentityHang.class, (c) -> c.tenantId().equals(tenantId));
	}

	Duration tokenLatency() {
		return find(Condition.TokenLatency.class, (c) -> true).map(Condition.TokenLatency::delay).orElse(Duration.ZERO);
	}

	/** The lifetime of access tokens issued now, if a scenario sets one. */
	Optional<Duration> accessTokenLifetime() {
		for (int i = this.active.size() - 1; i >= 0; i--) {
			if (this.active.get(i).condition instanceof Condition.AccessTokenLifetime lifetime) {
				return Optional.of(lifetime.lifetime());
			}
		}
		return Optional.empty();
	}

	SmtpAuthSetting smtpAuth(Account account) {
		String userId = account.user.id();
		// The mailbox setting wins over the tenant's, in either direction; the newest mailbox setting wins.
		for (int i = this.active.size() - 1; i >= 0; i--) {
			Condition condition = this.active.get(i).condition;
			if (condition instanceof Condition.SmtpAuthDisabled disabled && disabled.userId().equals(userId)) {
				return SmtpAuthSetting.DISABLED_FOR_MAILBOX;
			}
			if (condition instanceof Condition.SmtpAuthEnabled enabled && enabled.userId().equals(userId)) {
				return SmtpAuthSetting.ENABLED;
			}
		}
		boolean tenantDisabled = find(Condition.SmtpAuthDisabledForTenant.class,
				(c) -> c.tenantId().equals(account.user.tenantId())).isPresent();
		return tenantDisabled ? SmtpAuthSetting.DISABLED_FOR_TENANT : SmtpAuthSetting.ENABLED;
	}

	boolean basicAuthDisabled(String tenantId) {
		return find(Condition.BasicAuthDisabledForTenant.class, (c) -> c.tenantId().equals(tenantId)).isPresent();
	}

	/** Whether this message meets a transient failure (counting it against a limited one). */
	boolean transientFailure() {
		return this.active.stream()
			.filter((scenario) -> scenario.condition instanceof Condition.TransientFailures)
			.anyMatch((scenario) -> {
				Condition.TransientFailures failures = (Condition.TransientFailures) scenario.condition;
				return scenario.consume(failures.remaining(), failures.ratio());
			});
	}

	Duration smtpLatency() {
		return find(Condition.SmtpLatency.class, (c) -> true).map(Condition.SmtpLatency::delay).orElse(Duration.ZERO);
	}

	/** Holds a reply to the mailbox's session while a hang applies to it. */
	void holdSmtpReply(Account account) {
		hold(Condition.SmtpHang.class, (c) -> c.userId().equals(account.user.id()));
	}

	/** Waits until every matching hold in force is cleared (a thread interrupted by shutdown stops waiting). */
	private <C extends Hold> void hold(Class<C> type, Predicate<C> applies) {
		for (Optional<C> hold = find(type, applies); hold.isPresent(); hold = find(type, applies)) {
			try {
				hold.get().cleared().await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	Optional<Condition.RecipientRejected> recipientRejection(String address) {
		String recipient = Directory.normalize(address);
		return find(Condition.RecipientRejected.class, (c) -> c.address().equals(recipient));
	}

	/** Whether a scenario refuses this recipient of a mail sent by {@code login} as outside its organization. */
	boolean refusesAsOutsideOrganization(SmtpLogin login, String recipient) {
		String userId = login.account().user.id();
		if (find(Condition.OutsideRecipientsRefused.class,
				(c) -> c.userId() == null || c.userId().equals(userId)).isEmpty()) {
			return false;
		}
		String domain = recipient.substring(recipient.lastIndexOf('@') + 1);
		Optional<Tenant> organization = this.directory.tenant(domain);
		return organization.isEmpty()
				|| !login.multiTenantApp() && !organization.get().id().equals(login.account().user.tenantId());
	}

	/** Whether the connection is to be dropped at this stage (counting it). */
	boolean dropConnection(SmtpStage stage) {
		return this.active.stream()
			.filter((scenario) -> scenario.condition instanceof Condition.ConnectionDropped dropped
					&& dropped.stage() == stage)
			.anyMatch((scenario) -> scenario.consume(((Condition.ConnectionDropped) scenario.condition).remaining(), 1.0));
	}

	SmtpLimits limits() {
		for (int i = this.active.size() - 1; i >= 0; i--) {
			if (this.active.get(i).condition instanceof Condition.Limits limits) {
				return limits.limits();
			}
		}
		return this.defaultLimits;
	}

	/** The Graph failure this request meets, if any (counting it). */
	Optional<Condition.GraphFailures> graphFailure() {
		for (Active scenario : this.active) {
			if (scenario.condition instanceof Condition.GraphFailures failures
					&& scenario.consume(failures.remaining(), 1.0)) {
				return Optional.of(failures);
			}
		}
		return Optional.empty();
	}

	boolean restApiDisabled(String userId) {
		return find(Condition.RestApiDisabled.class, (c) -> c.userId().equals(userId)).isPresent();
	}

	GraphLimits graphLimits() {
		for (int i = this.active.size() - 1; i >= 0; i--) {
			if (this.active.get(i).condition instanceof Condition.GraphLimitsSet limits) {
				return limits.limits();
			}
		}
		return GraphLimits.OUTLOOK;
	}

	private <C extends Condition> Optional<C> find(Class<C> type, Predicate<C> test) {
		for (Active scenario : this.active) {
			if (type.isInstance(scenario.condition) && test.test(type.cast(scenario.condition))) {
				return Optional.of(type.cast(scenario.condition));
			}
		}
		return Optional.empty();
	}

	private <C extends Condition> boolean consume(Class<C> type, Predicate<C> applies,
			Function<C, AtomicInteger> counter, double ratio) {
		return this.active.stream()
			.filter((scenario) -> type.isInstance(scenario.condition) && applies.test(type.cast(scenario.condition)))
			.anyMatch((scenario) -> scenario.consume(counter.apply(type.cast(scenario.condition)), ratio));
	}

	private User user(String userPrincipalName) {
		return this.directory.user(userPrincipalName)
			.orElseThrow(() -> new IllegalArgumentException("No user " + userPrincipalName));
	}

	private static int positive(int count) {
		if (count < 1) {
			throw new IllegalArgumentException("count must be at least 1");
		}
		return count;
	}

	/** The scenario with this number (the control page's handle on it), if it is still active. */
	Optional<Scenario> find(long id) {
		return this.active.stream().filter((scenario) -> scenario.id == id).map(Scenario.class::cast).findFirst();
	}

	long idOf(Scenario scenario) {
		return ((Active) scenario).id;
	}

	private Scenario start(Condition condition, String description) {
		Active scenario = new Active(this.ids.incrementAndGet(), condition, description);
		this.active.add(scenario);
		return scenario;
	}

	private final class Active implements Scenario {

		private final long id;

		private final Condition condition;

		private final String description;

		Active(long id, Condition condition, String description) {
			this.id = id;
			this.condition = condition;
			this.description = description;
		}

		@Override
		public String description() {
			return this.description;
		}

		@Override
		public void clear() {
			Scenarios.this.active.remove(this);
			if (this.condition instanceof Hold hold) {
				hold.cleared().countDown();
			}
		}

		@Override
		public boolean active() {
			return Scenarios.this.active.contains(this);
		}

		/** Uses one of a limited count (-1: unlimited), subject to a ratio; a used-up scenario ends. */
		boolean consume(AtomicInteger remaining, double ratio) {
			if (ratio < 1.0 && ThreadLocalRandom.current().nextDouble() >= ratio) {
				return false;
			}
			int before = remaining.getAndUpdate((left) -> (left > 0) ? left - 1 : left);
			if (before == 1) {
				clear();
			}
			return before != 0;
		}

		@Override
		public String toString() {
			return "Scenario[" + this.description + "]";
		}

	}

}
