package io.mailroom.core.services;

import java.time.Instant;
import java.util.List;

import io.mailroom.contracts.ErrorCategory;
import io.mailroom.contracts.ErrorDetails;
import io.mailroom.core.CoreTestApplication;
import io.mailroom.core.secrets.SecretBox;
import io.mailroom.core.tokens.TokenCaches;
import io.mailroom.testing.RealInfrastructure;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(classes = CoreTestApplication.class)
@ContextConfiguration(initializers = RealInfrastructure.class)
class SmtpServicesIntegrationTest {

	private static final ErrorDetails REVOKED = new ErrorDetails(ErrorCategory.AUTHORIZATION, "AADSTS50173",
			"The grant was revoked.", "Authorize the service again.",
			"https://login.microsoftonline.com/error?code=50173", false);

	@Autowired
	SmtpServices services;

	@Autowired
	TokenCaches tokenCaches;

	@Autowired
	SecretBox secrets;

	@Autowired
	JdbcClient jdbc;

	@Test
	void migrationsCreateTheWholeSchema() {
		List<String> tables = jdbc
			.sql("select table_name from information_schema.tables where table_schema = 'public' order by 1")
			.query(String.class)
			.list();

		assertThat(tables).contains("smtp_service", "token_cache", "delivery", "delivery_attempt", "mailbox_lease",
				"authorization_attempt", "api_key", "audit_event", "flyway_schema_history");
	}

	@Test
	void aGoogleServiceAccountServiceReadsBackWithItsKeySealedAndItsDailyLimit() {
		java.util.UUID id = java.util.UUID.randomUUID();
		Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
		GoogleOAuth2 google = new GoogleOAuth2("sender@fabrikam.example", null, null, Access.APPLICATION,
				new GoogleOAuth2.ServiceAccount(secrets.sealFor("{\"type\": \"service_account\"}",
						SmtpService.secretContext(id, SmtpServices.SERVICE_ACCOUNT_KEY)),
						"sender@project.iam.gserviceaccount.com", "104857361920000000001"));
		SmtpService service = new SmtpService(id, "acct-google", "Gmail", "smtp.gmail.com", 587,
				"sender@fabrikam.example", null, null, google, ServiceStatus.AUTHORIZED, null, now, null, null, null, null,
				null, null, null, null, null, now, now, 0, 500);
		services.insert(service);

		SmtpService read = services.find(id).orElseThrow();

		assertThat(read).usingRecursiveComparison().ignoringFields("version").isEqualTo(service);
		assertThat(read.mailbox()).isEqualTo("smtp.gmail.com/sender@fabrikam.example");
		assertThat(read.appOnly()).isTrue();
		assertThat(read.dailyLimit()).isEqualTo(500);
		assertThat(jdbc.sql("select provider from smtp_service where id = ?").param(id).query(String.class).single())
			.isEqualTo("GOOGLE");
		byte[] stored = jdbc.sql("select service_account_key from smtp_service where id = ?")
			.param(id)
			.query(byte[].class)
			.single();
		assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("service_account");
	}

	@Test
	void aStoredServiceReadsBackWithItsSecretStillSealed() {
		SmtpService service = newService("acct-1");
		services.insert(service);

		SmtpService read = services.find(service.id()).orElseThrow();

		assertThat(read).usingRecursiveComparison().ignoringFields("version").isEqualTo(service);
		byte[] stored = jdbc.sql("select client_secret from smtp_service where id = ?")
			.param(service.id())
			.query(byte[].class)
			.single();
		assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("s3cret-value");
		assertThat(secrets.open(read.microsoft().clientSecret())).isEqualTo("s3cret-value");
	}

	@Test
	void anotherAccountsServiceIsNotFound() {
		SmtpService service = newService("acct-owner");
		services.insert(service);

		assertThat(services.findOwned("acct-owner", service.id())).isPresent();
		assertThat(services.findOwned("acct-other", service.id())).isEmpty();
		assertThat(services.list("acct-other")).isEmpty();
	}

	@Test
	void aStaleUpdateIsRefused() {
		SmtpService service = newService("acct-2");
		services.insert(service);
		SmtpService read = services.find(service.id()).orElseThrow();

		assertThat(services.update(withName(read, "First edit"))).isTrue();
		assertThat(services.update(withName(read, "Edit from a stale form"))).isFalse();
		assertThat(services.find(service.id()).orElseThrow().name()).isEqualTo("First edit");
	}

	@Test
	void aDeletedServiceDisappearsAndLosesItsSecretsAndTokens() {
		SmtpService service = newService("acct-3");
		services.insert(service);
		tokenCaches.replace(service.id(), "{\"RefreshToken\":{}}");

		assertThat(services.markDeleted("acct-3", service.id(), Instant.now())).isTrue();

		assertThat(services.find(service.id())).isEmpty();
		assertThat(tokenCaches.load(service.id())).isEmpty();
		assertThat(services.deletedAmong(List.of(service.id()))).containsExactly(service.id());
	}

	@Test
	void aFailureOfTheCurrentAuthorizationMarksTheServiceForReauthorization() {
		SmtpService service = authorizedService("acct-4");
		long version = tokenCaches.load(service.id()).orElseThrow().version();

		assertThat(services.markNeedsAttention(service.id(), ServiceStatus.NEEDS_REAUTHORIZATION, REVOKED, version,
				Instant.now()))
			.isTrue();

		SmtpService read = services.find(service.id()).orElseThrow();
		assertThat(read.status()).isEqualTo(ServiceStatus.NEEDS_REAUTHORIZATION);
		assertThat(read.statusReason()).isEqualTo(REVOKED);
	}

	@Test
	void aFailureOfAnAuthorizationAlreadyReplacedChangesNothing() {
		SmtpService service = authorizedService("acct-5");
		long failedVersion = tokenCaches.load(service.id()).orElseThrow().version();
		tokenCaches.replace(service.id(), "{\"new\":\"grant\"}");

		assertThat(services.markNeedsAttention(service.id(), ServiceStatus.NEEDS_REAUTHORIZATION, REVOKED,
				failedVersion, Instant.now()))
			.isFalse();
		assertThat(services.find(service.id()).orElseThrow().status()).isEqualTo(ServiceStatus.AUTHORIZED);
	}

	private SmtpService authorizedService(String account) {
		SmtpService service = newService(account);
		services.insert(service);
		tokenCaches.replace(service.id(), "{\"initial\":\"grant\"}");
		services.markAuthorized(service.id(), service.microsoft().loginEmail(), Instant.now());
		return service;
	}

	private SmtpService newService(String account) {
		return SmtpServiceFixtures.microsoftService(secrets, account, "smtp.office365.com", 587,
				"sender@contoso.example", "00000000-0000-0000-0000-0000000000c1", "s3cret-value", null);
	}

	private static SmtpService withName(SmtpService s, String name) {
		return new SmtpService(s.id(), s.accountId(), name, s.host(), s.port(), s.fromAddress(), s.fromName(),
				s.replyTo(), s.authentication(), s.status(), s.statusReason(), s.statusChangedAt(), s.authorizedAt(),
				s.authorizedAccount(), s.rateLimitPerMinute(), s.maxConnections(), s.maxMessageBytes(),
				s.lastSuccessAt(), s.lastFailureAt(), s.lastFailure(), s.secretChangedAt(), s.createdAt(),
				s.updatedAt(), s.version());
	}

}
