package io.mailroom.api;

import java.util.LinkedHashMap;
import java.util.Map;

import io.mailroom.testing.TestKafka;
import io.mailroom.testing.TestPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** A simple deployment: no identity provider configured and no API key yet. */
class ApiWithoutIdentityProviderTest {

	@Test
	void theApiStartsAndRefusesEveryCallerItCannotCheck() {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("server.port", "0");
		properties.put("spring.datasource.url", TestPostgres.newDatabase());
		properties.put("spring.datasource.username", "postgres");
		properties.put("spring.datasource.password", "postgres");
		properties.put("spring.kafka.bootstrap-servers", TestKafka.bootstrapServers());
		properties.put("mailroom.api.security.initial-key.value", "");
		properties.put("mailroom.api.authorization.allowed-return-urls", "");
		properties.put("management.server.port", "0");
		// as command-line arguments, which outrank the application.yml's environment placeholders
		String[] arguments = properties.entrySet()
			.stream()
			.map(property -> "--" + property.getKey() + "=" + property.getValue())
			.toArray(String[]::new);
		try (ConfigurableApplicationContext api = new SpringApplicationBuilder(ApiApplication.class).run(arguments)) {
			ApiClient client = new ApiClient(
					"http://localhost:" + api.getEnvironment().getRequiredProperty("local.server.port"), Map.of());

			ApiClient management = new ApiClient(
					"http://localhost:" + api.getEnvironment().getRequiredProperty("local.management.port"), Map.of());
			assertThat(management.get("/actuator/health").status()).isEqualTo(200);
			assertThat(client.get("/api/smtp-services").status()).isEqualTo(401);
			assertThat(client.with("Authorization", "Bearer " + new JwtIssuer().tokenFor("acct-a", "ada"))
				.get("/api/smtp-services")
				.status()).isEqualTo(401);
			assertThat(client.with("X-Api-Key", "mr_initialKeyOfTheTestDeployment_0123456789abcdef")
				.get("/api/smtp-services")
				.status()).isEqualTo(401);
		}
	}

}
