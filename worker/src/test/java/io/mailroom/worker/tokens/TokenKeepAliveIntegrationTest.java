package io.mailroom.worker.tokens;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import io.mailroom.core.services.SmtpService;
import io.mailroom.sandbox.GrantType;
import io.mailroom.sandbox.MicrosoftSandbox;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static io.mailroom.core.database.SqlValues.timestamptz;
import static org.assertj.core.api.Assertions.assertThat;

class TokenKeepAliveIntegrationTest extends SandboxIntegrationTest {

	private final MicrosoftSandbox microsoft = TestSandboxes.microsoft();

	@Autowired
	TokenKeepAlive keepAlive;

	@Test
	void refreshesAServiceIdleForAMonthOnceAndLeavesOthersAlone() {
		SmtpService idle = authorizedService(newMailbox(microsoft), microsoftApps);
		SmtpService busy = authorizedService(newMailbox(microsoft), microsoftApps);
		long idleVersion = caches.load(idle.id()).orElseThrow().version();
		long busyVersion = caches.load(busy.id()).orElseThrow().version();
		lastRefreshed(idle, Instant.now().minus(31, ChronoUnit.DAYS));
		long refreshes = microsoft.stats().tokenRequests(GrantType.REFRESH_TOKEN);

		int first = keepAlive.refreshIdleServices();
		int second = keepAlive.refreshIdleServices();

		assertThat(first).isEqualTo(1);
		assertThat(second).isZero();
		assertThat(microsoft.stats().tokenRequests(GrantType.REFRESH_TOKEN)).isEqualTo(refreshes + 1);
		assertThat(caches.load(idle.id()).orElseThrow().version()).isEqualTo(idleVersion + 1);
		assertThat(lastRefreshed(idle)).isAfter(Instant.now().minus(1, ChronoUnit.MINUTES));
		assertThat(caches.load(busy.id()).orElseThrow().version()).isEqualTo(busyVersion);
	}

	private void lastRefreshed(SmtpService service, Instant at) {
		jdbc.sql("update token_cache set refreshed_at = ? where service_id = ?")
			.params(timestamptz(at), service.id())
			.update();
	}

	private Instant lastRefreshed(SmtpService service) {
		return jdbc.sql("select refreshed_at from token_cache where service_id = ?")
			.param(service.id())
			.query((rs, row) -> rs.getObject(1, java.time.OffsetDateTime.class).toInstant())
			.single();
	}

}
