package io.mailroom.api;

import java.util.LinkedHashMap;
import java.util.Map;

import io.mailroom.core.sandbox.TestMicrosoft;
import io.mailroom.testing.OtlpCollector;
import io.mailroom.worker.WorkerApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * A real worker in the api's test JVM, on the api's database and Kafka broker, so that test emails go
 * through the whole pipeline: api → Kafka → worker → SMTP (the sandbox's Exchange) → result on Kafka.
 *
 * <p>It reads no application.yml (the api's would shadow its own on this classpath): every setting it needs
 * is given here, with the short timings of the worker's own tests.
 */
@TestConfiguration(proxyBeanMethods = false)
class WorkerAlongside {

	@Bean
	Worker worker(Environment api) {
		return new Worker(api);
	}

	static final class Worker implements SmartLifecycle {

		private final Environment api;

		private ConfigurableApplicationContext context;

		Worker(Environment api) {
			this.api = api;
		}

		@Override
		public void start() {
			Map<String, Object> properties = new LinkedHashMap<>(TestMicrosoft.springProperties());
			properties.putAll(io.mailroom.core.sandbox.TestGoogle.springProperties());
			properties.put("spring.config.name", "mailroom-worker-in-api-tests");
			properties.put("spring.application.name", "mailroom-worker");
			properties.put("spring.datasource.url", api.getRequiredProperty("spring.datasource.url"));
			properties.put("spring.datasource.username", api.getRequiredProperty("spring.datasource.username"));
			properties.put("spring.datasource.password", api.getRequiredProperty("spring.datasource.password"));
			properties.put("spring.kafka.bootstrap-servers", api.getRequiredProperty("spring.kafka.bootstrap-servers"));
			properties.put("spring.kafka.consumer.group-id", "mailroom-worker");
			properties.put("spring.kafka.consumer.auto-offset-reset", "earliest");
			properties.put("mailroom.secrets.keys.test", api.getRequiredProperty("mailroom.secrets.keys.test"));
			properties.put("mailroom.secrets.active-key", "test");
			properties.put("mailroom.scheduling.scan-interval", "200ms");
			properties.put("mailroom.scheduling.housekeeping-interval", "300ms");
			properties.put("mailroom.scheduling.retry.initial-backoff", "300ms");
			properties.put("mailroom.scheduling.retry.max-backoff", "2s");
			properties.put("mailroom.scheduling.retry.server-wait-scale", "0.05");
			properties.put("server.port", "0");
			properties.put("management.opentelemetry.tracing.export.otlp.endpoint",
					OtlpCollector.shared().tracesEndpoint());
			properties.put("management.opentelemetry.tracing.export.schedule-delay", "100ms");
			context = new SpringApplicationBuilder(WorkerApplication.class).properties(properties).run();
		}

		@Override
		public void stop() {
			if (context != null) {
				context.close();
				context = null;
			}
		}

		@Override
		public boolean isRunning() {
			return context != null && context.isRunning();
		}

		/** After the api's web server (and its Flyway migration) is up; stopped before it. */
		@Override
		public int getPhase() {
			return Integer.MAX_VALUE - 100;
		}

	}

}
