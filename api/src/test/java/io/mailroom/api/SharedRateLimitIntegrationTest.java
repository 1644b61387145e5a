package io.mailroom.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.mailroom.core.sandbox.TestMicrosoft;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/** Two api instances on one database: an account's allowance is one, whichever instance it calls. */
class SharedRateLimitIntegrationTest extends ApiIntegrationTest {

	@Autowired
	private Environment first;

	@Test
	void aSecondApiInstanceDrawsOnTheSameAllowance() {
		try (ConfigurableApplicationContext second = secondInstance()) {
			String key = admin("acct-" + UUID.randomUUID(), "ada@product.test")
				.post("/api/api-keys", Map.of("name", "limits", "role", "ADMIN"))
				.json()
				.path("key")
				.asString();
			ApiClient viaFirst = anonymous().with("X-Api-Key", key);
			ApiClient viaSecond = new ApiClient(
					"http://localhost:" + second.getEnvironment().getRequiredProperty("local.server.port"),
					Map.of("X-Api-Key", key));

			// 20 API key changes per 10 minutes, the key created above being the first: 19 more, alternating
			List<Integer> answers = new ArrayList<>();
			for (int i = 0; i < 19; i++) {
				ApiClient instance = i % 2 == 0 ? viaSecond : viaFirst;
				answers.add(instance.post("/api/api-keys", Map.of("name", "key " + i)).status());
			}
			ApiClient.Response onSecond = viaSecond.post("/api/api-keys", Map.of("name", "one too many"));
			ApiClient.Response onFirst = viaFirst.post("/api/api-keys", Map.of("name", "one too many"));

			assertThat(answers).containsOnly(201);
			assertThat(onSecond.status()).isEqualTo(429);
			assertThat(onFirst.status()).isEqualTo(429);
			assertThat(onFirst.json().path("detail").asString()).contains("too many API key changes");
			assertThat(Long.parseLong(onFirst.header("Retry-After"))).isBetween(1L, 30L);
			// reads are limited apart from changes
			assertThat(viaSecond.get("/api/api-keys").status()).isEqualTo(200);
		}
	}

	/** Another api on the first one's database and broker, with the same (default) limits and API keys only. */
	private ConfigurableApplicationContext secondInstance() {
		Map<String, Object> properties = new LinkedHashMap<>(TestMicrosoft.springProperties());
		properties.put("server.port", "0");
		properties.put("management.server.port", "0");
		for (String shared : List.of("spring.datasource.url", "spring.datasource.username",
				"spring.datasource.password", "spring.kafka.bootstrap-servers", "mailroom.secrets.keys.test",
				"mailroom.secrets.active-key")) {
			properties.put(shared, first.getRequiredProperty(shared));
		}
		properties.put("mailroom.api.security.initial-key.value", "");
		// as command-line arguments, which outrank the application.yml's environment placeholders
		String[] arguments = properties.entrySet()
			.stream()
			.map(property -> "--" + property.getKey() + "=" + property.getValue())
			.toArray(String[]::new);
		return new SpringApplicationBuilder(ApiApplication.class).run(arguments);
	}

}
