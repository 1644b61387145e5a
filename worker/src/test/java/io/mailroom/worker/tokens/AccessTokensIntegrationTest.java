package io.mailroom.worker.tokens;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.mailroom.contracts.ErrorCategory;
import io.mailroom.contracts.MailroomJson;
import io.mailroom.contracts.ServiceEvent;
import io.mailroom.contracts.ServiceEventType;
import io.mailroom.contracts.Topics;
import io.mailroom.core.failures.ServiceImpact;
import io.mailroom.core.services.ServiceStatus;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.tokens.MicrosoftApps;
import io.mailroom.core.tokens.StoredTokenCache;
import io.mailroom.sandbox.GrantType;
import io.mailroom.sandbox.MicrosoftSandbox;
import io.mailroom.sandbox.Scenario;
import io.mailroom.testing.TopicRecorder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

class AccessTokensIntegrationTest extends SandboxIntegrationTest {

	private final MicrosoftSandbox microsoft = TestSandboxes.microsoft();

	private final MicrosoftSandbox shortLived = TestSandboxes.shortLived();

	@Test
	void servesTheTokenOfTheStoredCacheThenFromMemory() {
		SmtpService service = authorizedService(newMailbox(microsoft), microsoftApps);
		long refreshes = refreshCalls(microsoft);

		AccessToken first = get(tokens, service);
		AccessToken second = get(tokens, service);

		assertThat(first.source()).isEqualTo(AccessToken.Source.MSAL_CACHE);
		assertThat(second.source()).isEqualTo(AccessToken.Source.MEMORY);
		assertThat(second.value()).isEqualTo(first.value());
		assertThat(first.cacheVersion()).isEqualTo(caches.load(service.id()).orElseThrow().version());
		assertThat(refreshCalls(microsoft)).isEqualTo(refreshes);
	}

	@Test
	void refreshesAheadOfExpiryAndSavesTheRotatedCache() {
		MicrosoftApps apps = shortLivedApps();
		SmtpService service = authorizedService(newMailbox(shortLived), apps);
		long authorizedVersion = caches.load(service.id()).orElseThrow().version();
		// four-minute tokens, refreshed once less than 3m55s are left: about five seconds from memory
		AccessTokens fiveSecondTokens = accessTokens(apps, withMargin(Duration.ofMinutes(4).minusSeconds(5)));

		AccessToken refreshed = get(fiveSecondTokens, service);
		AccessToken remembered = get(fiveSecondTokens, service);

		assertThat(refreshed.source()).isEqualTo(AccessToken.Source.REFRESH);
		assertThat(refreshed.cacheVersion()).isEqualTo(authorizedVersion + 1);
		assertThat(caches.load(service.id()).orElseThrow().version()).isEqualTo(authorizedVersion + 1);
		assertThat(remembered.source()).isEqualTo(AccessToken.Source.MEMORY);
		long refreshes = refreshCalls(shortLived);
		AccessToken ahead = await().atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> get(fiveSecondTokens, service), token -> token.source() == AccessToken.Source.REFRESH);
		assertThat(ahead.value()).isNotEqualTo(refreshed.value());
		assertThat(ahead.expiresOn()).isAfter(refreshed.expiresOn());
		assertThat(refreshCalls(shortLived)).isEqualTo(refreshes + 1);
	}

	@Test
	void aBurstOfSendsForOneServiceMakesOneTokenEndpointCall() throws Exception {
		MicrosoftApps apps = shortLivedApps();
		SmtpService service = authorizedService(newMailbox(shortLived), apps);
		AccessTokens burstTokens = accessTokens(apps, TokenProperties.defaults());
		long refreshes = refreshCalls(shortLived);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<AccessToken>> sends = new ArrayList<>();

		try (Scenario slowMicrosoft = shortLived.scenarios().tokenLatency(Duration.ofMillis(500));
				ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int i = 0; i < 20; i++) {
				sends.add(threads.submit(() -> {
					start.await();
					return burstTokens.get(service);
				}));
			}
			start.countDown();
			List<String> values = new ArrayList<>();
			for (Future<AccessToken> send : sends) {
				values.add(send.get().value());
			}
			assertThat(values).hasSize(20).containsOnly(values.getFirst());
		}
		assertThat(refreshCalls(shortLived)).isEqualTo(refreshes + 1);
	}

	@Test
	void aRefreshFromAnOlderCacheNeverOverwritesANewerAuthorization() throws Exception {
		Mailbox mailbox = newMailbox(microsoft);
		SmtpService service = authorizedService(mailbox, microsoftApps);
		AccessToken rejected = get(tokens, service);
		String newGrant = signIn(service, mailbox, microsoftApps, mailbox.upn());
		long refreshes = refreshCalls(microsoft);

		CompletableFuture<AccessToken> refreshing;
		long reauthorized;
		try (Scenario slowMicrosoft = microsoft.scenarios().tokenLatency(Duration.ofMillis(1500))) {
			refreshing = CompletableFuture.supplyAsync(() -> {
				try {
					return tokens.refreshAfterRejection(service, rejected);
				}
				catch (TokenUnavailable ex) {
					throw new IllegalStateException(ex);
				}
			}, Executors.newVirtualThreadPerTaskExecutor());
			await().atMost(Duration.ofSeconds(10)).until(() -> refreshCalls(microsoft) > refreshes);
			// an admin re-authorizes while the worker's refresh is on its way back
			reauthorized = caches.replace(service.id(), newGrant);
		}
		AccessToken token = refreshing.get();

		StoredTokenCache stored = caches.load(service.id()).orElseThrow();
		assertThat(stored.version()).isEqualTo(reauthorized);
		assertThat(stored.json()).isEqualTo(newGrant);
		assertThat(token.cacheVersion()).isEqualTo(reauthorized);
		assertThat(token.source()).isEqualTo(AccessToken.Source.MSAL_CACHE);
		assertThat(token.value()).isNotEqualTo(rejected.value());
	}

	@Test
	void aRevokedGrantNeedsReauthorizationAndMarksTheServiceItFailedFor() {
		MicrosoftApps apps = shortLivedApps();
		Mailbox mailbox = newMailbox(shortLived);
		SmtpService service = authorizedService(mailbox, apps);
		long authorization = caches.load(service.id()).orElseThrow().version();
		shortLived.scenarios().revokeGrants(mailbox.upn());

		TokenUnavailable unavailable = unavailable(accessTokens(apps, TokenProperties.defaults()), service);

		assertThat(unavailable.failure().impact()).isEqualTo(ServiceImpact.NEEDS_REAUTHORIZATION);
		assertThat(unavailable.failure().error().code()).isEqualTo("AADSTS50173");
		assertThat(unavailable.failure().retryable()).isFalse();
		assertThat(unavailable.authorizationVersion()).isEqualTo(authorization);
		assertThat(statusOf(service)).as("tokens decide nothing about the service").isEqualTo(ServiceStatus.AUTHORIZED);

		assertThat(statusChanges.attemptFailed(service, unavailable.failure(), unavailable.authorizationVersion(),
				java.time.Instant.now())).isTrue();
		assertThat(statusOf(service)).isEqualTo(ServiceStatus.NEEDS_REAUTHORIZATION);
		assertThat(current(service).statusReason().code()).isEqualTo("AADSTS50173");
		try (TopicRecorder events = TopicRecorder.fromBeginning(Topics.SERVICE_EVENTS)) {
			ServiceEvent event = await().atMost(Duration.ofSeconds(15))
				.until(() -> eventOf(events, service), e -> e != null);
			assertThat(event.type()).isEqualTo(ServiceEventType.NEEDS_REAUTHORIZATION);
			assertThat(event.accountId()).isEqualTo(ACCOUNT);
			assertThat(event.error().code()).isEqualTo("AADSTS50173");
		}
	}

	@Test
	void anExpiredClientSecretIsAConfigurationError() {
		MicrosoftApps apps = shortLivedApps();
		Mailbox mailbox = newMailbox(shortLived);
		SmtpService service = authorizedService(mailbox, apps);
		shortLived.scenarios().expireClientSecret(mailbox.app());

		TokenUnavailable unavailable = unavailable(accessTokens(apps, TokenProperties.defaults()), service);

		assertThat(unavailable.failure().impact()).isEqualTo(ServiceImpact.CONFIGURATION_ERROR);
		assertThat(unavailable.failure().error().category()).isEqualTo(ErrorCategory.CONFIGURATION);
		assertThat(unavailable.failure().error().code()).isEqualTo("AADSTS7000222");
		assertThat(statusChanges.attemptFailed(service, unavailable.failure(), unavailable.authorizationVersion(),
				java.time.Instant.now())).isTrue();
		assertThat(statusOf(service)).isEqualTo(ServiceStatus.CONFIGURATION_ERROR);
	}

	@Test
	void aFailureOfAnAuthorizationThatWasReplacedSinceMarksNothing() {
		MicrosoftApps apps = shortLivedApps();
		Mailbox mailbox = newMailbox(shortLived);
		SmtpService service = authorizedService(mailbox, apps);
		shortLived.scenarios().revokeGrants(mailbox.upn());
		TokenUnavailable unavailable = unavailable(accessTokens(apps, TokenProperties.defaults()), service);
		shortLived.scenarios().clearAll();
		// meanwhile an admin authorized the service again
		authorize(service, mailbox, apps, mailbox.upn());

		assertThat(statusChanges.attemptFailed(current(service), unavailable.failure(),
				unavailable.authorizationVersion(), java.time.Instant.now())).isFalse();
		assertThat(statusOf(service)).isEqualTo(ServiceStatus.AUTHORIZED);
	}

	@Test
	void anIdentityOutageIsRetryableAndLeavesTheServiceAuthorized() throws Exception {
		MicrosoftApps apps = shortLivedApps();
		SmtpService service = authorizedService(newMailbox(shortLived), apps);
		AccessTokens outageTokens = accessTokens(apps, TokenProperties.defaults());

		TokenUnavailable unavailable;
		try (Scenario outage = shortLived.scenarios().identityOutage()) {
			unavailable = unavailable(outageTokens, service);
		}

		assertThat(unavailable.failure().retryable()).isTrue();
		assertThat(unavailable.failure().impact()).isEqualTo(ServiceImpact.NONE);
		assertThat(unavailable.failure().error().category()).isEqualTo(ErrorCategory.PROVIDER_OUTAGE);
		assertThat(statusOf(service)).isEqualTo(ServiceStatus.AUTHORIZED);
		assertThat(outageTokens.get(service).source()).isEqualTo(AccessToken.Source.REFRESH);
	}

	@Test
	void aServiceThatWasNeverAuthorizedHasNoTokenAndStaysAsItIs() {
		SmtpService service = storedService(newMailbox(microsoft));

		TokenUnavailable unavailable = unavailable(tokens, service);

		assertThat(unavailable.failure().error().category()).isEqualTo(ErrorCategory.AUTHORIZATION);
		assertThat(unavailable.failure().error().code()).isEqualTo("NOT_AUTHORIZED");
		assertThat(unavailable.failure().error().hint()).startsWith("Authorize the service");
		assertThat(statusOf(service)).isEqualTo(ServiceStatus.NOT_AUTHORIZED);
	}

	@Test
	void aTokenRefusedBySmtpIsReplacedButALateRefusalKeepsTheNewerOne() throws Exception {
		SmtpService service = authorizedService(newMailbox(microsoft), microsoftApps);
		AccessToken old = get(tokens, service);

		AccessToken replacement = tokens.refreshAfterRejection(service, old);
		AccessToken afterLateRefusal = tokens.refreshAfterRejection(service, old);

		assertThat(replacement.source()).isEqualTo(AccessToken.Source.REFRESH);
		assertThat(replacement.value()).isNotEqualTo(old.value());
		assertThat(afterLateRefusal.source()).isEqualTo(AccessToken.Source.MEMORY);
		assertThat(afterLateRefusal.value()).isEqualTo(replacement.value());
	}

	private static AccessToken get(AccessTokens tokens, SmtpService service) {
		try {
			return tokens.get(service);
		}
		catch (TokenUnavailable ex) {
			throw new AssertionError("No token: " + ex.failure(), ex);
		}
	}

	private static TokenUnavailable unavailable(AccessTokens tokens, SmtpService service) {
		TokenUnavailable unavailable = catchThrowableOfType(TokenUnavailable.class, () -> tokens.get(service));
		assertThat(unavailable).as("token for " + service.id()).isNotNull();
		return unavailable;
	}

	private static long refreshCalls(MicrosoftSandbox sandbox) {
		return sandbox.stats().tokenRequests(GrantType.REFRESH_TOKEN);
	}

	private static TokenProperties withMargin(Duration margin) {
		TokenProperties defaults = TokenProperties.defaults();
		return new TokenProperties(margin, defaults.refreshTimeout(), defaults.keepAliveAfter(),
				defaults.keepAliveInterval());
	}

	private static ServiceEvent eventOf(TopicRecorder events, SmtpService service) {
		return events.records()
			.stream()
			.filter(record -> service.id().toString().equals(record.key()))
			.map(record -> MailroomJson.mapper().readValue(record.value(), ServiceEvent.class))
			.findFirst()
			.orElse(null);
	}

}
