package io.mailroom.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import io.mailroom.sandbox.FreePorts;

/**
 * Where the local run keeps its data and which ports it listens on (all on the loopback address).
 *
 * @param dataDirectory PostgreSQL's and Kafka's data, the secrets key and the sandbox's CA certificate,
 *     kept between runs ({@code .mailroom}; delete it to start afresh)
 * @param apiPort the api and its admin page (8080)
 * @param apiManagementPort the api's health probes and Prometheus metrics (8082)
 * @param workerPort the worker's actuator endpoints (8081)
 * @param postgresPort PostgreSQL (15432, beside a PostgreSQL of the machine's own on 5432)
 * @param kafkaPort the Kafka broker's client listener (9092)
 * @param kafkaControllerPort the KRaft controller listener (9093)
 * @param identityPort the stand-in identity platform, HTTPS (8443)
 * @param smtpPort the stand-in Exchange Online SMTP submission, STARTTLS (2587; Microsoft's is 587)
 * @param controlPort the stand-in's page listing received mail, plain HTTP (8025)
 * @param googlePort the Google stand-in's accounts and token endpoints, HTTPS (8444)
 * @param gmailPort the Google stand-in's Gmail SMTP submission, STARTTLS (2588; Gmail's is 587)
 * @param accessTokenLifetime how long the stand-in's access tokens live; {@code null} for Microsoft's random 60–90
 *     minutes (tests shorten it to see refreshes)
 */
public record LocalSettings(Path dataDirectory, int apiPort, int apiManagementPort, int workerPort, int postgresPort, int kafkaPort,
		int kafkaControllerPort, int identityPort, int smtpPort, int controlPort, int googlePort, int gmailPort,
		Duration accessTokenLifetime) {

	public LocalSettings {
		Objects.requireNonNull(dataDirectory, "dataDirectory");
		dataDirectory = dataDirectory.toAbsolutePath().normalize();
	}

	/** The ports the README names, data in {@code .mailroom} of the working directory. */
	public static LocalSettings defaults() {
		return new LocalSettings(Path.of(".mailroom"), 8080, 8082, 8081, 15432, 9092, 9093, 8443, 2587, 8025, 8444, 2588,
				null);
	}

	/** Free ports picked now, for tests that run beside a local run or each other. */
	public static LocalSettings onFreePorts(Path dataDirectory) {
		return new LocalSettings(dataDirectory, freePort(), freePort(), freePort(), freePort(), freePort(), freePort(),
				freePort(), freePort(), freePort(), freePort(), freePort(), null);
	}

	public LocalSettings withAccessTokenLifetime(Duration lifetime) {
		return new LocalSettings(this.dataDirectory, this.apiPort, this.apiManagementPort, this.workerPort, this.postgresPort, this.kafkaPort,
				this.kafkaControllerPort, this.identityPort, this.smtpPort, this.controlPort, this.googlePort, this.gmailPort,
				lifetime);
	}

	String apiUrl() {
		return "http://localhost:" + this.apiPort;
	}

	String apiManagementUrl() {
		return "http://localhost:" + this.apiManagementPort;
	}

	String workerUrl() {
		return "http://localhost:" + this.workerPort;
	}

	private static int freePort() {
		return FreePorts.take();
	}

}
