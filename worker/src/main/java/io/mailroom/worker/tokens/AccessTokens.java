package io.mailroom.worker.tokens;

import java.net.MalformedURLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAccount;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.SilentParameters;
import com.microsoft.aad.msal4j.TokenSource;
import io.mailroom.contracts.ErrorCategory;
import io.mailroom.contracts.ErrorDetails;
import io.mailroom.core.failures.Failure;
import io.mailroom.core.failures.Failures;
import io.mailroom.core.failures.ServiceImpact;
import io.mailroom.core.google.GoogleAccounts;
import io.mailroom.core.secrets.SecretUnavailable;
import io.mailroom.core.services.Authentication;
import io.mailroom.core.services.CredentialKind;
import io.mailroom.core.services.GoogleGuidance;
import io.mailroom.core.services.GoogleOAuth2;
import io.mailroom.core.services.MicrosoftGuidance;
import io.mailroom.core.services.MicrosoftOAuth2;
import io.mailroom.core.services.ServiceStatus;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.tokens.IdentityErrors;
import io.mailroom.core.tokens.MicrosoftApi;
import io.mailroom.core.tokens.MicrosoftApps;
import io.mailroom.core.tokens.StoredTokenCache;
import io.mailroom.core.tokens.TokenCacheSession;
import io.mailroom.core.tokens.TokenCaches;
import io.mailroom.core.tracing.MailSpans;
import io.mailroom.core.tracing.TraceContexts;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Access tokens of OAuth2 services (Microsoft and Google), for SMTP XOAUTH2 and Microsoft Graph.
 *
 * <p>Each service has its own state here: the token in memory, and the MSAL client with the service's
 * token cache. The first send that needs a refresh runs it; sends that arrive meanwhile join that same
 * refresh instead of starting their own, so a burst of sends makes one token endpoint call. Those waits
 * concern one service only: services never share a lock.
 */
@Component
public class AccessTokens {

	private static final Logger LOG = LoggerFactory.getLogger(AccessTokens.class);

	/** Rounds of "someone saved a newer cache: use theirs" before giving up on one call. */
	private static final int CACHE_CONFLICT_ROUNDS = 3;

	private final MicrosoftApps apps;

	private final GoogleAccounts google;

	private final TokenCaches caches;

	private final IdentityCircuit circuit;

	private final TokenProperties properties;

	private final Clock clock;

	private final TokenMetrics metrics;

	private final Tracer tracer;

	private final Map<TokenKey, ServiceTokens> services = new ConcurrentHashMap<>();

	/** Google's library blocks; its calls run on virtual threads so a hanging endpoint holds no pool. */
	private static final java.util.concurrent.ExecutorService GOOGLE_CALLS = java.util.concurrent.Executors
		.newThreadPerTaskExecutor(Thread.ofVirtual().name("google-token-", 0).factory());

	public AccessTokens(MicrosoftApps apps, GoogleAccounts google, TokenCaches caches, TokenProperties properties,
			ObjectProvider<IdentityCircuit> circuit, ObjectProvider<Clock> clock,
			ObjectProvider<MeterRegistry> meterRegistry, ObjectProvider<Tracer> tracer) {
		this.apps = apps;
		this.google = google;
		this.caches = caches;
		this.circuit = circuit.getIfAvailable(() -> IdentityCircuit.NONE);
		this.properties = properties;
		this.clock = clock.getIfAvailable(Clock::systemUTC);
		this.metrics = new TokenMetrics(meterRegistry.getIfAvailable(SimpleMeterRegistry::new));
		this.tracer = tracer.getIfAvailable(() -> Tracer.NOOP);
	}

	/**
	 * A valid access token for the OAuth2 service: from memory if it has more than the refresh margin left,
	 * else from the stored cache or a silent refresh. At most one refresh per service runs at a time;
	 * sends that wait for it get its token (or its failure).
	 * @throws TokenUnavailable with a retryable failure for outages and timeouts, or a failure that holds the
	 *     service (its grant or setup is broken), with the authorization that failed
	 */
	public AccessToken get(SmtpService service) throws TokenUnavailable {
		return get(service, MicrosoftApi.SMTP);
	}

	/**
	 * A valid access token of the service for {@code api} (SMTP or Graph): delegated from the stored cache,
	 * or app-only from the client-credentials grant (MSAL keeps those in memory; there is no grant to store).
	 * Same rules as {@link #get(SmtpService)}: memory first, one identity platform call per service and API.
	 */
	public AccessToken get(SmtpService service, MicrosoftApi api) throws TokenUnavailable {
		ServiceTokens state = stateOf(service, api);
		AccessToken remembered = state.remembered(service, null, properties.refreshMargin(), clock.instant());
		if (remembered != null) {
			metrics.acquired(AccessToken.Source.MEMORY);
			return remembered;
		}
		return traced(() -> counted(singleFlight(state, () -> {
			AccessToken meanwhile = state.remembered(service, null, properties.refreshMargin(), clock.instant());
			return meanwhile != null ? meanwhile : obtain(service, state, false, null);
		})));
	}

	/**
	 * A token to retry with after the SMTP server refused {@code rejected} ({@code 535 5.7.3}): the token
	 * another send already got after that rejection if there is one, else a forced refresh. Only the
	 * rejected token is evicted, so a late rejection of an old token never throws away a newer one.
	 */
	public AccessToken refreshAfterRejection(SmtpService service, AccessToken rejected) throws TokenUnavailable {
		return refreshAfterRejection(service, MicrosoftApi.SMTP, rejected);
	}

	/** {@link #refreshAfterRejection(SmtpService, AccessToken)} for a token of {@code api}. */
	public AccessToken refreshAfterRejection(SmtpService service, MicrosoftApi api, AccessToken rejected)
			throws TokenUnavailable {
		return traced(() -> replacement(service, api, rejected));
	}

	private AccessToken replacement(SmtpService service, MicrosoftApi api, AccessToken rejected)
			throws TokenUnavailable {
		ServiceTokens state = stateOf(service, api);
		AccessToken token = null;
		// Two rounds: a refresh joined while waiting may have been an ordinary one that handed out the very
		// token that was refused; the second round forces a refresh of our own.
		for (int round = 0; round < 2; round++) {
			AccessToken remembered = state.remembered(service, rejected, properties.refreshMargin(), clock.instant());
			if (remembered != null) {
				metrics.acquired(AccessToken.Source.MEMORY);
				return remembered;
			}
			token = singleFlight(state, () -> {
				AccessToken meanwhile = state.remembered(service, rejected, properties.refreshMargin(),
						clock.instant());
				return meanwhile != null ? meanwhile : obtain(service, state, true, rejected);
			});
			if (!token.sameValueAs(rejected)) {
				return counted(token);
			}
		}
		// Microsoft handed out the refused token again even on a forced refresh: the retry will show it
		return counted(token);
	}

	/** Forgets the service's token and MSAL client (the service was re-authorized, changed or deleted). */
	public void evict(UUID serviceId) {
		if (services.keySet().removeIf(key -> key.serviceId().equals(serviceId))) {
			LOG.debug("Forgot the access tokens of service {}", serviceId);
		}
	}

	/**
	 * One forced refresh for a service that has not sent for a long time, so that Microsoft sees its
	 * refresh token used and never lets it lapse for inactivity.
	 */
	AccessToken keepAlive(SmtpService service) throws TokenUnavailable {
		ServiceTokens state = stateOf(service, MicrosoftApi.SMTP);
		return singleFlight(state, () -> refresh(service, state, true, null));
	}

	private ServiceTokens stateOf(SmtpService service, MicrosoftApi api) {
		if (!service.usesOAuth2()) {
			throw new IllegalArgumentException("Service " + service.id() + " does not use OAuth2");
		}
		return services.computeIfAbsent(new TokenKey(service.id(), api), key -> new ServiceTokens(key.serviceId(), api));
	}

	/** Delegated from the stored cache, or app-only from the client-credentials grant; Google's from its library. */
	private AccessToken obtain(SmtpService service, ServiceTokens state, boolean force, AccessToken rejected)
			throws TokenUnavailable {
		if (service.usesGoogleOAuth2()) {
			return google(service, state);
		}
		return service.microsoft().appOnly() ? appOnly(service, state, force, rejected)
				: refresh(service, state, force, rejected);
	}

	/**
	 * A Google token: refreshed from the stored grant, or a service account's JWT bearer grant acting as the
	 * mailbox. Google's library keeps no cache of its own here, so every call is one token endpoint call; memory
	 * and single flight (above) keep them rare. The grant is never rewritten: Google does not rotate refresh tokens.
	 */
	private AccessToken google(SmtpService service, ServiceTokens state) throws TokenUnavailable {
		GoogleOAuth2 settings = service.google();
		state.settings = settings;
		Long version = AccessToken.NO_CACHE;
		GoogleAccounts.Grant grant = null;
		if (!settings.appOnly()) {
			StoredTokenCache stored = storedCache(service);
			version = stored.version();
			grant = GoogleAccounts.Grant.fromStored(stored.json());
		}
		String circuitKey = google.circuitKey(settings);
		IdentityCircuit.Call call = circuit.tryCall(circuitKey);
		if (call == null) {
			throw failed(service, identityPaused(circuitKey), version, null);
		}
		String refreshToken = grant == null ? null : grant.refreshToken();
		long started = System.nanoTime();
		try {
			GoogleAccounts.Token token = CompletableFuture.supplyAsync(() -> {
				try {
					return refreshToken == null ? google.serviceAccount(settings) : google.refresh(settings, refreshToken);
				}
				catch (java.io.IOException ex) {
					throw new java.io.UncheckedIOException(ex);
				}
			}, GOOGLE_CALLS).get(properties.refreshTimeout().toMillis(), TimeUnit.MILLISECONDS);
			call.succeeded();
			metrics.identityCall(Duration.ofNanos(System.nanoTime() - started), true);
			LOG.debug("Got a Google token for service {}", service.id());
			return new AccessToken(token.value(), token.expiresAt(), version, AccessToken.Source.REFRESH);
		}
		catch (InterruptedException ex) {
			call.notMade();
			Thread.currentThread().interrupt();
			throw new TokenUnavailable(Failures.network("get a token from Google", ex), version, ex);
		}
		catch (ExecutionException | TimeoutException | RuntimeException ex) {
			Throwable cause = ex instanceof ExecutionException && ex.getCause() != null ? ex.getCause() : ex;
			if (cause instanceof SecretUnavailable unavailable) {
				call.notMade();
				LOG.error("The credential of service {} cannot be opened: {}", service.id(), unavailable.getMessage());
				throw new TokenUnavailable(Failures.secretUnavailable(settings.appOnly() ? "service account key"
						: "client secret"), version, unavailable);
			}
			metrics.identityCall(Duration.ofNanos(System.nanoTime() - started), false);
			Failure failure = settings.appOnly()
					? GoogleGuidance.forServiceAccount(GoogleAccounts.classifyServiceAccount(cause), settings)
					: GoogleAccounts.classify(cause);
			call.failed(failure);
			throw failed(service, failure, version, cause);
		}
	}

	/**
	 * A client-credentials token. MSAL serves it from the client's memory while valid; a forced call (after
	 * a rejection, or when ours needs a longer margin than MSAL's) skips that cache.
	 */
	private AccessToken appOnly(SmtpService service, ServiceTokens state, boolean force, AccessToken rejected)
			throws TokenUnavailable {
		MicrosoftOAuth2 settings = service.microsoft();
		if (state.app == null || !settings.equals(state.settings)) {
			try {
				state.app = apps.create(service, null);
			}
			catch (SecretUnavailable ex) {
				LOG.error("The credential of service {} cannot be opened: {}", service.id(), ex.getMessage());
				throw new TokenUnavailable(Failures.secretUnavailable(settings.credential() == CredentialKind.CERTIFICATE
						? "certificate key" : "client secret"), AccessToken.NO_CACHE, ex);
			}
			state.settings = settings;
			state.current = null;
		}
		IAuthenticationResult result = acquireAppOnly(service, state, force);
		if (!validForUse(result) || rejected != null && rejected.value().equals(result.accessToken())) {
			result = acquireAppOnly(service, state, true);
		}
		AccessToken.Source source = fromCache(result) ? AccessToken.Source.MEMORY : AccessToken.Source.REFRESH;
		return new AccessToken(result.accessToken(), result.expiresOnDate().toInstant(), AccessToken.NO_CACHE, source);
	}

	private IAuthenticationResult acquireAppOnly(SmtpService service, ServiceTokens state, boolean force)
			throws TokenUnavailable {
		ClientCredentialParameters parameters = ClientCredentialParameters
			.builder(apps.scopes(service.microsoft(), state.api))
			.skipCache(force)
			.build();
		String authority = circuitKey(service);
		IdentityCircuit.Call call = circuit.tryCall(authority);
		if (call == null) {
			throw failed(service, identityPaused(authority), AccessToken.NO_CACHE, null);
		}
		long started = System.nanoTime();
		try {
			IAuthenticationResult result = state.app.acquireToken(parameters)
				.get(properties.refreshTimeout().toMillis(), TimeUnit.MILLISECONDS);
			if (fromCache(result)) {
				call.notMade();
			}
			else {
				call.succeeded();
				metrics.identityCall(Duration.ofNanos(System.nanoTime() - started), true);
				LOG.debug("Got an app-only {} token for service {}", state.api, service.id());
			}
			return result;
		}
		catch (InterruptedException ex) {
			call.notMade();
			Thread.currentThread().interrupt();
			throw new TokenUnavailable(Failures.network("get a token from the identity platform", ex),
					AccessToken.NO_CACHE, ex);
		}
		catch (ExecutionException | TimeoutException | RuntimeException ex) {
			metrics.identityCall(Duration.ofNanos(System.nanoTime() - started), false);
			Failure failure = MicrosoftGuidance.forAppOnly(IdentityErrors.classify(ex), service.microsoft(),
					apps.adminConsentUrl(service.microsoft()));
			call.failed(failure);
			throw failed(service, failure, AccessToken.NO_CACHE, ex);
		}
	}

	/**
	 * A token that was not in this worker's memory, got in a span of its own (a child of the send's) that
	 * says where it came from, or why there is none.
	 */
	private AccessToken traced(Refresh acquisition) throws TokenUnavailable {
		Span span = tracer.nextSpan().name(MailSpans.TOKEN).start();
		try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
			AccessToken token = acquisition.run();
			span.tag(MailSpans.TOKEN_SOURCE, token.source().name().toLowerCase(java.util.Locale.ROOT));
			return token;
		}
		catch (TokenUnavailable ex) {
			TraceContexts.failed(span, TokenMetrics.code(ex.failure()));
			throw ex;
		}
		finally {
			span.end();
		}
	}

	private AccessToken counted(AccessToken token) {
		metrics.acquired(token.source());
		return token;
	}

	/**
	 * Runs {@code work} unless a run for the same service is already under way, in which case this waits
	 * for that run and shares its outcome. Only the runner touches the service's MSAL client.
	 */
	private AccessToken singleFlight(ServiceTokens state, Refresh work) throws TokenUnavailable {
		while (true) {
			CompletableFuture<AccessToken> running = state.inFlight.get();
			if (running != null) {
				return await(running);
			}
			CompletableFuture<AccessToken> mine = new CompletableFuture<>();
			if (!state.inFlight.compareAndSet(null, mine)) {
				continue;
			}
			try {
				AccessToken token = work.run();
				state.current = new Remembered(token, state.settings);
				mine.complete(token);
				return token;
			}
			catch (TokenUnavailable | RuntimeException | Error ex) {
				mine.completeExceptionally(ex);
				throw ex;
			}
			finally {
				state.inFlight.compareAndSet(mine, null);
			}
		}
	}

	private AccessToken await(CompletableFuture<AccessToken> running) throws TokenUnavailable {
		try {
			return running.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new TokenUnavailable(Failures.network("wait for an access token", ex), null, ex);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof TokenUnavailable unavailable) {
				throw new TokenUnavailable(unavailable.failure(), unavailable.authorizationVersion(), unavailable);
			}
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException("Token refresh failed", ex.getCause());
		}
	}

	/**
	 * The token call itself, run by one thread per service at a time: reads the stored cache, asks MSAL
	 * (which serves a cached token or refreshes), saves the cache if MSAL changed it, and defers to a newer
	 * cache if someone saved one meanwhile.
	 */
	private AccessToken refresh(SmtpService service, ServiceTokens state, boolean force, AccessToken rejected)
			throws TokenUnavailable {
		StoredTokenCache stored = storedCache(service);
		openClient(service, state, stored);
		long version = stored.version();
		boolean forceNow = force;
		for (int round = 0; round < CACHE_CONFLICT_ROUNDS; round++) {
			IAccount account = account(service, state, version);
			IAuthenticationResult result = acquire(service, state, account, forceNow, version);
			if (fromCache(result) && (!validForUse(result)
					|| rejected != null && rejected.value().equals(result.accessToken()))) {
				// MSAL serves cached tokens down to its own 5 minutes; ours may be longer, and a refused one is no use
				result = acquire(service, state, account, true, version);
			}
			if (!state.session.changed()) {
				return token(result, version);
			}
			Optional<Long> saved = caches.compareAndSet(service.id(), version, state.session.json());
			if (saved.isPresent()) {
				state.session.reset(state.session.json());
				return token(result, saved.get());
			}
			// Someone saved a newer cache meanwhile: another worker's refresh or an admin's new authorization.
			// Theirs wins; ours (and the token from it) is dropped and theirs is asked instead.
			LOG.info("Token cache of service {} changed while refreshing (was version {}): using the newer one",
					service.id(), version);
			stored = storedCache(service);
			state.session.reset(stored.json());
			version = stored.version();
			forceNow = false;
		}
		throw new TokenUnavailable(Failures.network("save the refreshed token cache",
				new TimeoutException("the token cache kept changing while refreshing")), version, null);
	}

	private StoredTokenCache storedCache(SmtpService service) throws TokenUnavailable {
		Optional<StoredTokenCache> stored = caches.load(service.id());
		if (stored.isEmpty()) {
			metrics.notAcquired(AccessToken.Source.MSAL_CACHE);
			throw new TokenUnavailable(notAuthorized(service), TokenCaches.NONE, null);
		}
		return stored.get();
	}

	/** The service's MSAL client, built again when its app settings (client ID, secret, tenant) changed. */
	private void openClient(SmtpService service, ServiceTokens state, StoredTokenCache stored)
			throws TokenUnavailable {
		Long version = stored.version();
		MicrosoftOAuth2 settings = service.microsoft();
		if (state.app != null && settings.equals(state.settings) && state.session != null) {
			state.session.reset(stored.json());
			return;
		}
		TokenCacheSession session = new TokenCacheSession(stored.json());
		try {
			state.app = apps.create(service, session);
		}
		catch (SecretUnavailable ex) {
			LOG.error("The client secret of service {} cannot be opened: {}", service.id(), ex.getMessage());
			throw new TokenUnavailable(Failures.secretUnavailable("client secret"), version, ex);
		}
		state.session = session;
		state.settings = settings;
		state.current = null;
	}

	/**
	 * The signed-in account in the cache: the login email, else the account that authorized (a shared
	 * mailbox is sent from with a delegate's token), else the only one there is.
	 */
	private IAccount account(SmtpService service, ServiceTokens state, long version) throws TokenUnavailable {
		Set<IAccount> accounts;
		try {
			accounts = state.app.getAccounts().get(properties.refreshTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new TokenUnavailable(Failures.network("read the token cache", ex), version, ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new TokenUnavailable(Failures.network("read the token cache", ex), version, ex);
		}
		String login = service.microsoft().loginEmail();
		Optional<IAccount> account = accounts.stream().filter(a -> login.equalsIgnoreCase(a.username())).findFirst();
		if (account.isEmpty() && service.authorizedAccount() != null) {
			account = accounts.stream()
				.filter(a -> service.authorizedAccount().equalsIgnoreCase(a.username()))
				.findFirst();
		}
		if (account.isEmpty() && accounts.size() == 1) {
			account = Optional.of(accounts.iterator().next());
		}
		if (account.isEmpty()) {
			throw failed(service, noAccount(), version, null);
		}
		return account.get();
	}

	private IAuthenticationResult acquire(SmtpService service, ServiceTokens state, IAccount account, boolean force,
			long version) throws TokenUnavailable {
		SilentParameters parameters = SilentParameters.builder(apps.scopes(service.microsoft(), state.api), account)
			// MSAL would otherwise rewrite the authority to the account's environment without its port
			.authorityUrl(apps.authority(service.microsoft()))
			.forceRefresh(force)
			.build();
		String authority = circuitKey(service);
		IdentityCircuit.Call call = circuit.tryCall(authority);
		if (call == null) {
			throw failed(service, identityPaused(authority), version, null);
		}
		long started = System.nanoTime();
		try {
			IAuthenticationResult result = state.app.acquireTokenSilently(parameters)
				.get(properties.refreshTimeout().toMillis(), TimeUnit.MILLISECONDS);
			if (fromCache(result)) {
				call.notMade();
			}
			else {
				call.succeeded();
				metrics.identityCall(Duration.ofNanos(System.nanoTime() - started), true);
				LOG.debug("Refreshed the access token of service {}", service.id());
			}
			return result;
		}
		catch (MalformedURLException ex) {
			call.notMade();
			// the authority comes from mailroom.identity.authority-host, which is validated at startup
			throw new IllegalStateException("Invalid authority for service " + service.id(), ex);
		}
		catch (InterruptedException ex) {
			call.notMade();
			Thread.currentThread().interrupt();
			throw new TokenUnavailable(Failures.network("get a token from the identity platform", ex), version, ex);
		}
		catch (ExecutionException | TimeoutException | RuntimeException ex) {
			metrics.identityCall(Duration.ofNanos(System.nanoTime() - started), false);
			Failure failure = MicrosoftGuidance.withAdminConsentHint(IdentityErrors.classify(ex),
					apps.adminConsentUrl(service.microsoft()));
			call.failed(failure);
			throw failed(service, failure, version, ex);
		}
	}

	/**
	 * The identity circuit a service's token calls count against: its authority, which names its tenant
	 * (a multi-tenant app's authority, {@code organizations}, is shared by every tenant, so the login's
	 * domain tells them apart).
	 */
	private String circuitKey(SmtpService service) {
		String authority = apps.authority(service.microsoft());
		if (service.microsoft().tenantId() != null && !service.microsoft().tenantId().isBlank()) {
			return authority;
		}
		String login = service.microsoft().loginEmail();
		return authority + login.substring(login.indexOf('@') + 1).toLowerCase(java.util.Locale.ROOT);
	}

	/**
	 * Reports a failed token call. What it means for the service (held or not) is its caller's decision;
	 * the failure carries the authorization that failed.
	 */
	private TokenUnavailable failed(SmtpService service, Failure failure, Long version, Throwable cause) {
		metrics.refreshFailed(failure);
		metrics.notAcquired(AccessToken.Source.REFRESH);
		LOG.warn("No access token for service {}: {} ({})", service.id(), failure.error().code(),
				failure.error().message());
		return new TokenUnavailable(failure, version, cause);
	}

	private boolean validForUse(IAuthenticationResult result) {
		return result.expiresOnDate().toInstant().isAfter(clock.instant().plus(properties.refreshMargin()));
	}

	private static boolean fromCache(IAuthenticationResult result) {
		return result.metadata() != null && result.metadata().tokenSource() == TokenSource.CACHE;
	}

	private static AccessToken token(IAuthenticationResult result, long version) {
		AccessToken.Source source = fromCache(result) ? AccessToken.Source.MSAL_CACHE : AccessToken.Source.REFRESH;
		return new AccessToken(result.accessToken(), result.expiresOnDate().toInstant(), version, source);
	}

	/**
	 * Never authorized, or its authorization was dropped (credentials changed). The status already says
	 * so, or becomes NEEDS_REAUTHORIZATION when the lane holds the mail: either way an admin must authorize.
	 */
	private static Failure notAuthorized(SmtpService service) {
		return new Failure(new ErrorDetails(ErrorCategory.AUTHORIZATION, "NOT_AUTHORIZED",
				"The service has no Microsoft authorization" + (service.status() == ServiceStatus.NOT_AUTHORIZED
						? " yet." : " any more (its credentials changed or the authorization was removed)."),
				"Authorize the service: click Authorize on its page and sign in as " + service.microsoft().loginEmail()
						+ ".",
				null, false), null, ServiceImpact.NEEDS_REAUTHORIZATION, null);
	}

	/** The identity circuit of the service's tenant is open: its token calls wait, others' go on. */
	private static Failure identityPaused(String authority) {
		return new Failure(new ErrorDetails(ErrorCategory.PROVIDER_OUTAGE, "IDENTITY_PLATFORM_PAUSED",
				"Token requests to " + authority + " are paused after repeated failures of the identity platform.",
				"Nothing to do: Mailroom tries again shortly and sends the mail once it answers.", null, true), null,
				ServiceImpact.NONE, null);
	}

	private static Failure noAccount() {
		return new Failure(new ErrorDetails(ErrorCategory.AUTHORIZATION, "NO_ACCOUNT",
				"The service's authorization holds no signed-in account for its login email.",
				"Authorize the service again, signed in as the login email.", null, false), null,
				ServiceImpact.NEEDS_REAUTHORIZATION, null);
	}


	@FunctionalInterface
	private interface Refresh {

		AccessToken run() throws TokenUnavailable;

	}

	/** One service's tokens for one API. */
	private record TokenKey(UUID serviceId, MicrosoftApi api) {
	}

	/** A token together with the app settings it was issued for. */
	private record Remembered(AccessToken token, Authentication settings) {
	}

	/** One service's tokens. {@link #app}, {@link #session} and {@link #settings} belong to the running refresh. */
	private static final class ServiceTokens {

		final AtomicReference<CompletableFuture<AccessToken>> inFlight = new AtomicReference<>();

		volatile Remembered current;

		ConfidentialClientApplication app;

		TokenCacheSession session;

		Authentication settings;

		final UUID serviceId;

		final MicrosoftApi api;

		ServiceTokens(UUID serviceId, MicrosoftApi api) {
			this.serviceId = serviceId;
			this.api = api;
		}

		/**
		 * The token in memory if it was issued for the service's current app settings, has more than
		 * {@code margin} left, and is not {@code rejected}.
		 */
		AccessToken remembered(SmtpService service, AccessToken rejected, Duration margin, Instant now) {
			Remembered remembered = current;
			if (remembered == null || !remembered.settings().equals(service.authentication())
					|| !remembered.token().validFor(margin, now) || remembered.token().sameValueAs(rejected)) {
				return null;
			}
			return remembered.token().from(AccessToken.Source.MEMORY);
		}

	}

}
