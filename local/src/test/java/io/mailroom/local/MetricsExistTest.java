package io.mailroom.local;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import io.mailroom.contracts.MailroomJson;
import io.mailroom.contracts.SendRequest;
import io.mailroom.contracts.Topics;

import io.mailroom.sandbox.AppRegistration;
import io.mailroom.sandbox.Directory;
import io.mailroom.sandbox.Tenant;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard and the alert rules query only metrics that the api and the worker really expose: a
 * renamed meter would otherwise leave an empty panel or an alert that never fires. Mail is sent, and a token
 * refresh and a request are made to fail, first: Micrometer registers some meters only when they first count.
 */
class MetricsExistTest {

	private final LocalMailroom mailroom = LocalStack.mailroom();

	private final Admin admin = new Admin(this.mailroom);

	@Test
	void everyMetricOfTheDashboardAndTheAlertRulesIsExposed() {
		Set<String> used = OpsFiles.metricsUsed();
		assertThat(used).contains("mailroom_sends_total", "mailroom_token_refresh_failures_total",
				"kafka_consumer_fetch_manager_records_lag_max");
		sendOneMailThenFailARefresh();

		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
			Set<String> exposed = new TreeSet<>(scrape(this.mailroom.workerUrl()));
			exposed.addAll(scrape(this.mailroom.apiManagementUrl()));
			Set<String> missing = new TreeSet<>(used);
			missing.removeAll(exposed);
			assertThat(missing).as("metrics used in ops/ but exposed by neither the api nor the worker").isEmpty();
		});
	}

	@Test
	void bothAppsServeThePrometheusEndpointOnTheirManagementPortsOnly() {
		assertThat(Http.get(this.mailroom.apiManagementUrl() + "/actuator/prometheus").status()).isEqualTo(200);
		assertThat(Http.get(this.mailroom.workerUrl() + "/actuator/prometheus").status()).isEqualTo(200);
		// the api's public port, which browsers and the product reach, serves no metrics
		assertThat(Http.get(this.mailroom.apiUrl() + "/actuator/prometheus").status()).isIn(401, 404);
	}

	private void sendOneMailThenFailARefresh() {
		Directory directory = this.mailroom.microsoft().directory();
		Tenant tenant = directory.createTenant("metrics.example");
		AppRegistration app = directory.registerApp(tenant, false,
				this.mailroom.apiUrl() + "/oauth2/custom-smtp-token");
		String upn = "sender@metrics.example";
		directory.createUser(tenant, upn);
		String serviceId = this.admin.createService("Metrics", upn, app.clientId(), app.clientSecret(), tenant.id())
			.path("id")
			.asString();
		assertThat(this.admin.authorize(serviceId, upn).status()).isEqualTo(200);
		Http.Response sent = this.admin.testEmail(serviceId, "reader@metrics.example");
		assertThat(sent.json().path("outcome").asString()).as(sent.toString()).isEqualTo("SENT");

		// the grant is gone: the next refresh fails with AADSTS50173 and the mail is held
		this.mailroom.microsoft().scenarios().revokeGrants(upn);
		Http.Response held = this.admin.testEmail(serviceId, "reader@metrics.example");
		assertThat(held.json().path("outcome").asString()).as(held.toString()).isIn("HELD", "PENDING");

		// a request for a service that does not exist ends REJECTED, with an error code
		SendRequest unknownService = SendRequest.builder(LocalMailroom.DEMO_ACCOUNT, UUID.randomUUID())
			.to("reader@metrics.example")
			.subject("For nobody")
			.text("This service does not exist.")
			.build();
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.mailroom.kafkaBootstrapServers()),
				new StringSerializer(), new ByteArraySerializer())) {
			producer.send(new ProducerRecord<>(Topics.SEND_REQUESTS, unknownService.serviceId().toString(),
					MailroomJson.mapper().writeValueAsBytes(unknownService))).get();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Set<String> scrape(String baseUrl) {
		Http.Response response = Http.get(baseUrl + "/actuator/prometheus");
		assertThat(response.status()).isEqualTo(200);
		Set<String> names = new TreeSet<>();
		response.body().lines().filter(line -> !line.isBlank() && !line.startsWith("#")).forEach(line -> {
			int end = line.indexOf('{') >= 0 ? line.indexOf('{') : line.indexOf(' ');
			names.add(line.substring(0, end));
		});
		return names;
	}

}
