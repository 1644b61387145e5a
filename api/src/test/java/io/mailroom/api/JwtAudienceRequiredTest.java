package io.mailroom.api;

import io.mailroom.testing.TestKafka;
import io.mailroom.testing.TestPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A deployment that accepts JWTs must say which audience they are for. */
class JwtAudienceRequiredTest {

	@Test
	void theApiDoesNotStartWithJwtsButNoAudience() {
		String[] arguments = { "--server.port=0", "--management.server.port=0",
				"--spring.datasource.url=" + TestPostgres.newDatabase(), "--spring.datasource.username=postgres",
				"--spring.datasource.password=postgres", "--spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers(),
				"--spring.security.oauth2.resourceserver.jwt.public-key-location=" + new JwtIssuer().publicKeyLocation() };

		assertThatThrownBy(() -> new SpringApplicationBuilder(ApiApplication.class).run(arguments).close())
			.rootCause()
			.hasMessageStartingWith("JWT callers are configured (spring.security.oauth2.resourceserver.jwt.*) but no "
					+ "audience: set spring.security.oauth2.resourceserver.jwt.audiences")
			.hasMessageContaining("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_AUDIENCES");
	}

}
