package io.mailroom.core.tokens;

import java.time.Instant;

import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAccount;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.SilentParameters;
import io.mailroom.contracts.ErrorCategory;
import io.mailroom.core.CoreTestApplication;
import io.mailroom.core.failures.Failure;
import io.mailroom.core.failures.ServiceImpact;
import io.mailroom.core.sandbox.TestMicrosoft;
import io.mailroom.core.secrets.SecretBox;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.services.SmtpServices;
import io.mailroom.testing.RealInfrastructure;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

@SpringBootTest(classes = CoreTestApplication.class)
@ContextConfiguration(initializers = RealInfrastructure.class)
class MicrosoftAppsIntegrationTest {

	@DynamicPropertySource
	static void microsoft(DynamicPropertyRegistry registry) {
		TestMicrosoft.springProperties().forEach((name, value) -> registry.add(name, () -> value));
	}

	@Autowired
	MicrosoftApps apps;

	@Autowired
	TokenCaches caches;

	@Autowired
	SmtpServices services;

	@Autowired
	SecretBox secrets;

	@Test
	void aNewClientWithOnlyTheStoredCacheRefreshesSilently() throws Exception {
		SmtpService service = authorizedService();
		StoredTokenCache stored = caches.load(service.id()).orElseThrow();

		TokenCacheSession session = new TokenCacheSession(stored.json());
		IAuthenticationResult result = refresh(service, session);

		assertThat(result.accessToken()).isNotBlank();
		assertThat(result.account().username()).isEqualTo(service.microsoft().loginEmail());
		assertThat(session.changed()).isTrue();
		assertThat(session.json()).isNotEqualTo(stored.json());
	}

	@Test
	void aRevokedGrantIsClassifiedAsNeedingReauthorization() throws Exception {
		SmtpService service = authorizedService();
		TestMicrosoft.sandbox().scenarios().revokeGrants(service.microsoft().loginEmail());

		Throwable thrown = catchThrowable(() -> refresh(service,
				new TokenCacheSession(caches.load(service.id()).orElseThrow().json())));
		Failure failure = IdentityErrors.classify(thrown);

		assertThat(failure.error().code()).isEqualTo("AADSTS50173");
		assertThat(failure.error().category()).isEqualTo(ErrorCategory.AUTHORIZATION);
		assertThat(failure.impact()).isEqualTo(ServiceImpact.NEEDS_REAUTHORIZATION);
		assertThat(failure.error().helpUrl()).isEqualTo("https://login.microsoftonline.com/error?code=50173");
		assertThat(failure.retryable()).isFalse();
	}

	@Test
	void anExpiredClientSecretIsClassifiedAsAConfigurationError() throws Exception {
		SmtpService service = authorizedService();
		var app = TestMicrosoft.sandbox().directory().app(service.microsoft().clientId()).orElseThrow();
		TestMicrosoft.sandbox().scenarios().expireClientSecret(app);

		Failure failure = IdentityErrors.classify(catchThrowable(() -> refresh(service,
				new TokenCacheSession(caches.load(service.id()).orElseThrow().json()))));

		assertThat(failure.error().code()).isEqualTo("AADSTS7000222");
		assertThat(failure.impact()).isEqualTo(ServiceImpact.CONFIGURATION_ERROR);
	}

	@Test
	void anIdentityPlatformOutageIsRetryableAndLeavesTheServiceAlone() throws Exception {
		SmtpService service = authorizedService();
		var outage = TestMicrosoft.sandbox().scenarios().identityOutage();
		try {
			Failure failure = IdentityErrors.classify(catchThrowable(() -> refresh(service,
					new TokenCacheSession(caches.load(service.id()).orElseThrow().json()))));

			assertThat(failure.retryable()).isTrue();
			assertThat(failure.error().category()).isEqualTo(ErrorCategory.PROVIDER_OUTAGE);
			assertThat(failure.impact()).isEqualTo(ServiceImpact.NONE);
		}
		finally {
			outage.clear();
		}
	}

	private IAuthenticationResult refresh(SmtpService service, TokenCacheSession session) throws Exception {
		ConfidentialClientApplication app = apps.create(service, session);
		IAccount account = app.getAccounts().get().iterator().next();
		return app.acquireTokenSilently(SilentParameters.builder(apps.smtpScopes(), account)
			.authorityUrl(apps.authority(service.microsoft()))
			.forceRefresh(true)
			.build()).get();
	}

	private SmtpService authorizedService() {
		SmtpService service = TestMicrosoft.storeService(services, secrets, "acct-" + Instant.now().toEpochMilli(),
				TestMicrosoft.newMailbox());
		TestMicrosoft.authorize(service, apps, caches, services);
		return services.find(service.id()).orElseThrow();
	}

}
