package io.mailroom.testing;

import java.util.Map;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Points a Spring test context at real infrastructure: a fresh database on the test PostgreSQL server
 * and the test Kafka broker.
 */
public class RealInfrastructure implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("mailroom-test-infrastructure",
					Map.of("spring.datasource.url", TestPostgres.newDatabase(), "spring.datasource.username",
							"postgres", "spring.datasource.password", "postgres", "spring.kafka.bootstrap-servers",
							TestKafka.bootstrapServers())));
	}

}
