package io.mailroom.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.mailroom.contracts.MailroomJson;
import io.mailroom.contracts.Topics;
import io.mailroom.core.CoreTestApplication;
import io.mailroom.core.sandbox.TestMicrosoft;
import io.mailroom.core.secrets.SecretBox;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.services.SmtpServices;
import io.mailroom.core.tokens.MicrosoftApps;
import io.mailroom.core.tokens.TokenCaches;
import io.mailroom.sandbox.AuthorizationRedirect;
import io.mailroom.sandbox.Consent;
import io.mailroom.sandbox.MicrosoftSandbox;
import io.mailroom.sandbox.Scenario;
import io.mailroom.sandbox.SmtpLimits;
import io.mailroom.testing.TopicRecorder;
import io.mailroom.testing.process.AppProcess;
import io.mailroom.testing.process.KafkaProcess;
import io.mailroom.testing.process.PostgresProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The real processes the scenarios hurt, started once per run: a PostgreSQL server, a KRaft broker, two
 * workers and the api from their executable jars, and in this JVM the Microsoft stand-in (Exchange Online's
 * limits on, SMTP replies delayed, short-lived access tokens) and core's beans, which migrate the schema,
 * create the topics and store and authorize services the way an admin does.
 */
final class Stage implements AutoCloseable {

	/** The id of the throwaway key that seals this run's secrets, in this JVM and in the apps. */
	static final String SECRETS_KEY_ID = "faults";

	/** The Mailroom accounts of the two tenants' services. */
	static final String ACCOUNT_A = "faults-tenant-a";

	static final String ACCOUNT_B = "faults-tenant-b";

	/**
	 * Access tokens the stand-in issues last this long, so that a run of minutes sees them expire: with the
	 * worker's 5-minute refresh margin each is refreshed about a minute after it was issued.
	 */
	static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofMinutes(6);

	private static final String DATABASE = "mailroom";

	private static final String SANDBOX_BUNDLE = "microsoft-sandbox";

	private static final String WORKER_GROUP = "mailroom-worker";

	/** A Spring Boot app starts in 15 s on an idle 2-core machine; a machine shared with builds takes minutes. */
	private static final Duration START_TIMEOUT = Duration.ofMinutes(6);

	final Path workDir;

	final MicrosoftSandbox sandbox;

	final PostgresProcess postgres;

	final KafkaProcess kafka;

	final AppProcess api;

	final List<AppProcess> workers;

	final TopicRecorder results;

	final TopicRecorder deadLetters;

	final KafkaProducer<String, byte[]> producer;

	private final ConfigurableApplicationContext core;

	private final String apiKey;

	private final List<Scenario> standing;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private Stage(Path workDir, MicrosoftSandbox sandbox, List<Scenario> standing, PostgresProcess postgres,
			KafkaProcess kafka, ConfigurableApplicationContext core, AppProcess api, String apiKey,
			List<AppProcess> workers) {
		this.workDir = workDir;
		this.sandbox = sandbox;
		this.standing = standing;
		this.postgres = postgres;
		this.kafka = kafka;
		this.core = core;
		this.api = api;
		this.apiKey = apiKey;
		this.workers = workers;
		this.results = TopicRecorder.fromNow(kafka.bootstrapServers(), Topics.SEND_RESULTS);
		this.deadLetters = TopicRecorder.fromNow(kafka.bootstrapServers(), Topics.SEND_REQUESTS_DLT);
		this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
				ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
				// hostile records reach 10 MB; requests may be up to 35 MB
				ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 64 * 1024 * 1024, ProducerConfig.BUFFER_MEMORY_CONFIG,
				128L * 1024 * 1024,
				// keep what is published during a broker outage until the broker is back
				ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000, ProducerConfig.MAX_BLOCK_MS_CONFIG, 120_000),
				new StringSerializer(), new ByteArraySerializer());
	}

	static Stage start(Path workDir, Path appJars, Options options, Consumer<String> progress) {
		clean(workDir);
		MicrosoftSandbox sandbox = TestMicrosoft.sandbox();
		if (!sandbox.settings().smtpLimits().equals(SmtpLimits.EXCHANGE_ONLINE)) {
			throw new IllegalStateException("The stand-in must enforce Exchange Online's limits");
		}
		List<AutoCloseable> started = new ArrayList<>();
		try {
			List<Scenario> standing = List.of(sandbox.scenarios().smtpLatency(options.smtpLatency()),
					sandbox.scenarios().accessTokenLifetime(ACCESS_TOKEN_LIFETIME));
			standing.forEach(started::add);
			Path ca = sandbox.tls().writeCaCertificate(workDir.resolve("sandbox-ca.pem"));
			progress.accept("Starting PostgreSQL and Kafka");
			PostgresProcess postgres = PostgresProcess.start(workDir.resolve("postgres"), workDir.resolve("postgres.log"));
			started.add(postgres);
			String databaseUrl = postgres.createDatabase(DATABASE);
			KafkaProcess kafka = KafkaProcess.start(workDir.resolve("kafka"));
			started.add(kafka);
			String secretsKey = randomKey();
			List<String> shared = List.of("--spring.datasource.url=" + databaseUrl,
					"--spring.datasource.username=" + PostgresProcess.USER,
					"--spring.datasource.password=" + PostgresProcess.USER,
					"--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(), "--spring.main.banner-mode=off");
			progress.accept("Migrating the schema and creating the topics");
			List<String> coreArguments = new ArrayList<>(shared);
			coreArguments.addAll(List.of("--mailroom.secrets.keys." + SECRETS_KEY_ID + "=" + secretsKey,
					"--mailroom.secrets.active-key=" + SECRETS_KEY_ID));
			TestMicrosoft.springProperties().forEach((name, value) -> coreArguments.add("--" + name + "=" + value));
			ConfigurableApplicationContext core = new SpringApplicationBuilder(CoreTestApplication.class)
				.web(WebApplicationType.NONE)
				.run(coreArguments.toArray(String[]::new));
			started.add(core);

			List<String> appArguments = new ArrayList<>(shared);
			appArguments.addAll(List.of("--spring.ssl.bundle.pem." + SANDBOX_BUNDLE + ".truststore.certificate=file:" + ca,
					"--mailroom.identity.ssl-bundle=" + SANDBOX_BUNDLE,
					"--mailroom.identity.authority-host=" + sandbox.authorityHost(),
					"--mailroom.identity.instance-discovery=false",
					// the stand-in's SMTP server is on this machine, which the destination guard refuses unless allowed
					"--mailroom.outbound.allowed-hosts=" + sandbox.smtpHost()));
			Map<String, String> secrets = Map.of("MAILROOM_SECRETS_KEYS_" + SECRETS_KEY_ID.toUpperCase(Locale.ROOT),
					secretsKey, "MAILROOM_SECRETS_ACTIVE_KEY", SECRETS_KEY_ID);
			List<String> workerArguments = new ArrayList<>(appArguments);
			workerArguments.addAll(List.of("--mailroom.delivery.ssl-bundle=" + SANDBOX_BUNDLE,
					// the stand-in is Exchange Online: its services are paced as Microsoft's are
					"--mailroom.scheduling.microsoft-hosts=" + sandbox.smtpHost()));
			int apiPort = AppProcess.freePort();
			String apiKey = "mr_" + randomKey().replace('+', '-').replace('/', '_').replace("=", "");
			List<String> apiArguments = new ArrayList<>(appArguments);
			apiArguments.addAll(List.of("--mailroom.api.authorization.public-base-url=http://localhost:" + apiPort,
					"--mailroom.api.security.initial-key.account-id=" + ACCOUNT_A,
					// a scenario re-authorizes several services at once
					"--mailroom.api.rate-limits.authorization-starts=1000"));
			Map<String, String> apiEnvironment = new HashMap<>(secrets);
			apiEnvironment.put("MAILROOM_API_INITIAL_KEY", apiKey);
			progress.accept("Starting two workers and the api from their executable jars");
			List<CompletableFuture<AppProcess>> apps = new ArrayList<>();
			apps.add(CompletableFuture.supplyAsync(() -> AppProcess.start(new AppProcess.Spec("api",
					appJars.resolve("mailroom-api-exec.jar"), List.of("-Xmx384m"), apiArguments, apiEnvironment,
					workDir.resolve("api.log"), apiPort, START_TIMEOUT))));
			for (String name : List.of("worker-1", "worker-2")) {
				apps.add(CompletableFuture.supplyAsync(() -> AppProcess.start(new AppProcess.Spec(name,
						appJars.resolve("mailroom-worker-exec.jar"), List.of("-Xmx512m"), workerArguments, secrets,
						workDir.resolve(name + ".log"), 0, START_TIMEOUT))));
			}
			List<AppProcess> running = new ArrayList<>();
			RuntimeException failed = null;
			for (CompletableFuture<AppProcess> app : apps) {
				try {
					running.add(app.join());
				}
				catch (RuntimeException ex) {
					failed = (failed == null) ? ex : failed;
				}
			}
			started.addAll(running);
			if (failed != null) {
				throw new IllegalStateException("An app did not start", failed.getCause() != null ? failed.getCause() : failed);
			}
			return new Stage(workDir, sandbox, standing, postgres, kafka, core, running.get(0), apiKey,
					List.of(running.get(1), running.get(2)));
		}
		catch (RuntimeException ex) {
			closeAll(started.reversed());
			throw ex;
		}
	}

	private static void closeAll(List<? extends AutoCloseable> parts) {
		for (AutoCloseable part : parts) {
			try {
				part.close();
			}
			catch (Exception ex) {
				System.err.println("Could not stop " + part + ": " + ex);
			}
		}
	}

	/** A fresh start: the last run's database, broker and app logs go (the suite's own log is open already). */
	private static void clean(Path workDir) {
		try {
			Files.createDirectories(workDir);
			try (Stream<Path> old = Files.list(workDir)) {
				for (Path path : old.filter(p -> !p.getFileName().toString().equals("suite.log")).toList()) {
					try (Stream<Path> tree = Files.walk(path)) {
						tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not prepare " + workDir, ex);
		}
	}

	private static String randomKey() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return Base64.getEncoder().encodeToString(key);
	}

	JdbcClient jdbc() {
		return core.getBean(JdbcClient.class);
	}

	/** Stores a Microsoft OAuth2 service of the mailbox and authorizes it, as an admin does. */
	SmtpService authorizedService(String accountId, TestMicrosoft.Mailbox mailbox) {
		SmtpServices services = core.getBean(SmtpServices.class);
		SmtpService service = TestMicrosoft.storeService(services, core.getBean(SecretBox.class), accountId, mailbox);
		TestMicrosoft.authorize(service, core.getBean(MicrosoftApps.class), core.getBean(TokenCaches.class), services);
		return services.find(service.id()).orElseThrow();
	}

	/** The api's authorization callback, to register on the stand-in's apps. */
	String callbackUrl() {
		return "http://localhost:" + api.port() + "/oauth2/custom-smtp-token";
	}

	/**
	 * Authorizes a service of tenant A again through the api, as its admin would after Microsoft revoked the
	 * grant: start the authorization, sign in at the stand-in, let the browser post the answer to the callback.
	 */
	void reauthorize(UUID serviceId, String mailbox) {
		HttpResponse<String> started = send(HttpRequest
			.newBuilder(URI.create("http://localhost:" + api.port() + "/api/smtp-services/" + serviceId + "/authorization"))
			.header("X-Api-Key", apiKey)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{}")));
		if (started.statusCode() != 200) {
			throw new IllegalStateException("Starting the authorization of " + serviceId + " failed: "
					+ started.statusCode() + " " + started.body());
		}
		URI authorizeUrl = URI.create(MailroomJson.mapper().readTree(started.body()).path("authorizeUrl").asString());
		AuthorizationRedirect redirect = sandbox.signIn(authorizeUrl, mailbox, Consent.ACCEPT);
		HttpResponse<String> callback = send(HttpRequest.newBuilder(redirect.target())
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(redirect.encodedParameters())));
		String status = jdbc().sql("select status from smtp_service where id = ?").param(serviceId).query(String.class).single();
		if (!status.equals("AUTHORIZED")) {
			throw new IllegalStateException("Service " + serviceId + " is " + status + " after its authorization callback ("
					+ callback.statusCode() + ")");
		}
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Records of {@code mail.send-requests} the workers have not taken in (committed) yet: after a scenario
	 * has settled, anything here means intake is stuck.
	 */
	long intakeLag() {
		try (Admin admin = admin()) {
			Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(WORKER_GROUP)
				.partitionsToOffsetAndMetadata()
				.get(30, TimeUnit.SECONDS);
			Map<TopicPartition, ListOffsetsResultInfo> ends = endOffsets(admin);
			return ends.entrySet().stream().mapToLong(end -> {
				OffsetAndMetadata at = committed.get(end.getKey());
				return end.getValue().offset() - (at == null ? 0 : at.offset());
			}).sum();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not read the workers' intake lag", ex);
		}
	}

	/**
	 * Gets the stage going again after a scenario left intake stuck: deletes what is left on
	 * {@code mail.send-requests} (its requests are already counted as lost) and restarts both workers, whose
	 * consumers hold the stuck batch in memory.
	 */
	void clearStuckIntake() {
		try (Admin admin = admin()) {
			Map<TopicPartition, RecordsToDelete> delete = endOffsets(admin).entrySet()
				.stream()
				.collect(Collectors.toMap(Map.Entry::getKey, end -> RecordsToDelete.beforeOffset(end.getValue().offset())));
			admin.deleteRecords(delete).all().get(30, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not clear mail.send-requests", ex);
		}
		for (AppProcess worker : workers) {
			worker.close();
			worker.restart();
		}
	}

	private Admin admin() {
		return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
	}

	private static Map<TopicPartition, ListOffsetsResultInfo> endOffsets(Admin admin) throws Exception {
		int partitions = admin.describeTopics(List.of(Topics.SEND_REQUESTS))
			.allTopicNames()
			.get(30, TimeUnit.SECONDS)
			.get(Topics.SEND_REQUESTS)
			.partitions()
			.size();
		Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
		for (int p = 0; p < partitions; p++) {
			latest.put(new TopicPartition(Topics.SEND_REQUESTS, p), OffsetSpec.latest());
		}
		return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
	}

	/** Stops everything: the apps first (gracefully), then core's beans, the broker and PostgreSQL. */
	@Override
	public void close() {
		producer.close(Duration.ofSeconds(10));
		List<AutoCloseable> parts = new ArrayList<>(List.of(results, deadLetters));
		parts.addAll(workers);
		parts.addAll(List.of(api, core, kafka, postgres));
		parts.addAll(standing);
		closeAll(parts);
	}

}
