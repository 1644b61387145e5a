package io.mailroom.core.tokens;

import io.mailroom.core.CoreTestApplication;
import io.mailroom.core.secrets.SecretBox;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.services.SmtpServiceFixtures;
import io.mailroom.core.services.SmtpServices;
import io.mailroom.testing.RealInfrastructure;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(classes = CoreTestApplication.class)
@ContextConfiguration(initializers = RealInfrastructure.class)
class TokenCachesIntegrationTest {

	@Autowired
	TokenCaches caches;

	@Autowired
	SmtpServices services;

	@Autowired
	SecretBox secrets;

	@Autowired
	JdbcClient jdbc;

	@Test
	void aCacheIsStoredSealedWithTheKeyId() {
		SmtpService service = storedService();

		long version = caches.replace(service.id(), "{\"RefreshToken\":{\"secret\":\"rt-123\"}}");

		assertThat(caches.load(service.id()).orElseThrow().json()).contains("rt-123");
		assertThat(version).isEqualTo(1);
		var row = jdbc.sql("select key_id, sealed from token_cache where service_id = ?")
			.param(service.id())
			.query((rs, n) -> new Object[] { rs.getString(1), rs.getBytes(2) })
			.single();
		assertThat(row[0]).isEqualTo(secrets.activeKeyId());
		assertThat(new String((byte[]) row[1], java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("rt-123");
	}

	@Test
	void anOlderCacheNeverOverwritesANewerOne() {
		SmtpService service = storedService();
		caches.replace(service.id(), "{\"rt\":\"1\"}");
		StoredTokenCache readByWorkerA = caches.load(service.id()).orElseThrow();
		StoredTokenCache readByWorkerB = caches.load(service.id()).orElseThrow();

		assertThat(caches.compareAndSet(service.id(), readByWorkerA.version(), "{\"rt\":\"2\"}")).contains(2L);
		assertThat(caches.compareAndSet(service.id(), readByWorkerB.version(), "{\"rt\":\"stale\"}")).isEmpty();

		assertThat(caches.load(service.id()).orElseThrow().json()).isEqualTo("{\"rt\":\"2\"}");
	}

	@Test
	void aNewAuthorizationSupersedesAnyRefreshInFlight() {
		SmtpService service = storedService();
		caches.replace(service.id(), "{\"rt\":\"old grant\"}");
		StoredTokenCache beforeReauthorization = caches.load(service.id()).orElseThrow();

		caches.replace(service.id(), "{\"rt\":\"new grant\"}");

		assertThat(caches.compareAndSet(service.id(), beforeReauthorization.version(), "{\"rt\":\"refreshed old\"}"))
			.isEmpty();
		assertThat(caches.load(service.id()).orElseThrow().json()).isEqualTo("{\"rt\":\"new grant\"}");
	}

	private SmtpService storedService() {
		SmtpService service = SmtpServiceFixtures.microsoftService(secrets, "acct", "smtp.office365.com", 587,
				"a@contoso.example", "00000000-0000-0000-0000-0000000000c1", "secret", null);
		services.insert(service);
		return service;
	}

}
