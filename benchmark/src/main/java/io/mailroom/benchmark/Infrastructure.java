package io.mailroom.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAccount;
import com.microsoft.aad.msal4j.SilentParameters;
import io.mailroom.contracts.MailroomJson;
import io.mailroom.contracts.Topics;
import io.mailroom.core.CoreTestApplication;
import io.mailroom.core.sandbox.TestMicrosoft;
import io.mailroom.core.secrets.SecretBox;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.services.SmtpServices;
import io.mailroom.core.tokens.MicrosoftApps;
import io.mailroom.core.tokens.TokenCacheSession;
import io.mailroom.core.tokens.TokenCaches;
import io.mailroom.sandbox.AppRegistration;
import io.mailroom.sandbox.ApplicationPermission;
import io.mailroom.sandbox.GraphLimits;
import io.mailroom.sandbox.MicrosoftSandbox;
import io.mailroom.sandbox.SmtpLimits;
import io.mailroom.sandbox.Tenant;
import io.mailroom.testing.TestKafka;
import io.mailroom.testing.TestPostgres;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Everything the parts share: the Microsoft sandbox as an SMTP sink (limits off, counting only), one
 * embedded PostgreSQL database with Mailroom's schema, one KRaft broker with Mailroom's topics, and core's
 * beans to store and authorize services the way an admin does.
 */
final class Infrastructure implements AutoCloseable {

	/** The id of the throwaway key that seals this run's secrets, in this JVM and in the workers. */
	static final String SECRETS_KEY_ID = "benchmark";

	final MicrosoftSandbox sandbox;

	final String databaseUrl;

	final String kafka;

	final Path workDir;

	final Path caCertificate;

	private final String secretsKey;

	private final ConfigurableApplicationContext core;

	private final long postmasterPid;

	private Infrastructure(MicrosoftSandbox sandbox, String databaseUrl, String kafka, Path workDir,
			Path caCertificate, String secretsKey, ConfigurableApplicationContext core, long postmasterPid) {
		this.sandbox = sandbox;
		this.databaseUrl = databaseUrl;
		this.kafka = kafka;
		this.workDir = workDir;
		this.caCertificate = caCertificate;
		this.secretsKey = secretsKey;
		this.core = core;
		this.postmasterPid = postmasterPid;
	}

	static Infrastructure start(Path workDir, boolean synchronousCommit) {
		try {
			Files.createDirectories(workDir);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		MicrosoftSandbox sandbox = TestMicrosoft.sandbox();
		sandbox.mailbox().keepContent(false);
		sandbox.scenarios().smtpLimits(SmtpLimits.NONE);
		sandbox.scenarios().graphLimits(GraphLimits.NONE);
		sandbox.scenarios().graphLimits(io.mailroom.sandbox.GraphLimits.NONE);
		Path ca = sandbox.tls().writeCaCertificate(workDir.resolve("sandbox-ca.pem"));

		String databaseUrl = TestPostgres.newDatabase();
		long postmaster = preparePostgres(databaseUrl, synchronousCommit);
		String kafka = TestKafka.bootstrapServers();

		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		String secretsKey = Base64.getEncoder().encodeToString(key);
		List<String> args = new java.util.ArrayList<>(List.of("--spring.datasource.url=" + databaseUrl,
				"--spring.datasource.username=postgres", "--spring.datasource.password=postgres",
				"--spring.kafka.bootstrap-servers=" + kafka, "--mailroom.secrets.keys." + SECRETS_KEY_ID + "=" + secretsKey,
				"--mailroom.secrets.active-key=" + SECRETS_KEY_ID, "--spring.main.banner-mode=off"));
		TestMicrosoft.springProperties().forEach((name, value) -> args.add("--" + name + "=" + value));
		// core's beans in this JVM: Flyway migrates the database, KafkaAdmin creates Mailroom's topics
		ConfigurableApplicationContext core = new SpringApplicationBuilder(CoreTestApplication.class)
			.web(WebApplicationType.NONE)
			.run(args.toArray(String[]::new));
		groupCoordinatorReady(kafka);
		return new Infrastructure(sandbox, databaseUrl, kafka, workDir, ca, secretsKey, core, postmaster);
	}

	/**
	 * Has the broker's group coordinator ready before any measured process joins a group. A broker creates
	 * its offsets topic for the first consumer group it ever sees, and answers that group's first second of
	 * requests with NOT_COORDINATOR while it does: a production broker did that long ago, so a measured start
	 * must not pay for it (nor only the first measured process of a run).
	 */
	private static void groupCoordinatorReady(String kafka) {
		try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
				ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka, ConsumerConfig.GROUP_ID_CONFIG, "mailroom-benchmark-ready"),
				new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
			consumer.subscribe(List.of(Topics.SERVICE_EVENTS));
			long deadline = System.nanoTime() + java.time.Duration.ofMinutes(1).toNanos();
			while (consumer.assignment().isEmpty()) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("The broker's group coordinator did not assign a partition in a minute");
				}
				consumer.poll(java.time.Duration.ofMillis(100));
			}
		}
	}

	/**
	 * Sets {@code synchronous_commit} for Mailroom's database (the embedded server turns it off for tests;
	 * PostgreSQL's default, and production's, is on) and returns the server's process id.
	 */
	private static long preparePostgres(String databaseUrl, boolean synchronousCommit) {
		String database = databaseUrl.substring(databaseUrl.lastIndexOf('/') + 1).replaceFirst("\\?.*", "");
		try (Connection connection = TestPostgres.dataSource(databaseUrl).getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("alter database " + database + " set synchronous_commit = "
					+ (synchronousCommit ? "on" : "off"));
			var rs = statement.executeQuery("select setting from pg_settings where name = 'data_directory'");
			rs.next();
			Path pidFile = Path.of(rs.getString(1), "postmaster.pid");
			return Long.parseLong(Files.readAllLines(pidFile).getFirst().strip());
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not prepare the benchmark database", ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A Microsoft OAuth2 service of a fresh sandbox mailbox, stored and authorized as an admin would. */
	SmtpService authorizedService(String accountId) {
		SmtpService service = TestMicrosoft.storeService(bean(SmtpServices.class), bean(SecretBox.class), accountId,
				TestMicrosoft.newMailbox());
		return authorize(service);
	}

	/** A stored, not yet authorized Microsoft OAuth2 service of a fresh sandbox mailbox. */
	SmtpService storedService(String accountId) {
		return TestMicrosoft.storeService(bean(SmtpServices.class), bean(SecretBox.class), accountId,
				TestMicrosoft.newMailbox());
	}

	SmtpService authorize(SmtpService service) {
		TestMicrosoft.authorize(service, bean(MicrosoftApps.class), bean(TokenCaches.class), bean(SmtpServices.class));
		return bean(SmtpServices.class).find(service.id()).orElseThrow();
	}

	/** Mailroom's own per-minute limit for the service, as an admin sets it on the service's page. */
	SmtpService limitRate(SmtpService service, int perMinute) {
		jdbc().sql("update smtp_service set rate_limit_per_minute = ?, version = version + 1 where id = ?")
			.params(perMinute, service.id())
			.update();
		return bean(SmtpServices.class).find(service.id()).orElseThrow();
	}

	/** An app-only Graph token of the service's app (granted Mail.Send), from the client-credentials grant. */
	String graphToken(SmtpService service) {
		AppRegistration app = sandbox.directory().app(service.microsoft().clientId()).orElseThrow();
		Tenant tenant = sandbox.directory().tenant(service.microsoft().tenantId()).orElseThrow();
		sandbox.directory().grantApplicationPermission(app, tenant, ApplicationPermission.MAIL_SEND);
		try {
			return ConfidentialClientApplication
				.builder(app.clientId(), ClientCredentialFactory.createFromSecret(app.clientSecret()))
				.authority(sandbox.authority(tenant))
				.instanceDiscovery(false)
				.sslSocketFactory(sandbox.tls().sslSocketFactory())
				.build()
				.acquireToken(ClientCredentialParameters.builder(Set.of("https://graph.microsoft.com/.default")).build())
				.get()
				.accessToken();
		}
		catch (Exception ex) {
			throw new IllegalStateException("No Graph token for service " + service.id(), ex);
		}
	}

	/**
	 * An access token of the service from its stored token cache, as the worker gets one: MSAL serves the
	 * cached token the authorization left there, so this makes no token endpoint call.
	 */
	String accessToken(SmtpService service) {
		MicrosoftApps apps = bean(MicrosoftApps.class);
		var session = new TokenCacheSession(bean(TokenCaches.class).load(service.id()).orElseThrow().json());
		ConfidentialClientApplication app = apps.create(service, session);
		try {
			IAccount account = app.getAccounts().get().iterator().next();
			return app.acquireTokenSilently(SilentParameters.builder(apps.smtpScopes(), account)
				.authorityUrl(apps.authority(service.microsoft()))
				.build()).get().accessToken();
		}
		catch (Exception ex) {
			throw new IllegalStateException("No access token for service " + service.id(), ex);
		}
	}

	/**
	 * Drops the access tokens from the service's stored cache, as if an hour had passed: the next send
	 * needs a refresh at the token endpoint.
	 */
	void expireAccessTokens(SmtpService service) {
		TokenCaches caches = bean(TokenCaches.class);
		ObjectNode cache = (ObjectNode) MailroomJson.mapper().readTree(caches.load(service.id()).orElseThrow().json());
		cache.putObject("AccessToken");
		caches.replace(service.id(), MailroomJson.mapper().writeValueAsString(cache));
	}

	JdbcClient jdbc() {
		return bean(JdbcClient.class);
	}

	/** Settings every worker process gets: where everything is, and how to trust the sandbox. */
	List<String> workerSettings() {
		return List.of("--spring.datasource.url=" + databaseUrl, "--spring.datasource.username=postgres",
				"--spring.datasource.password=postgres", "--spring.kafka.bootstrap-servers=" + kafka,
				"--spring.ssl.bundle.pem.microsoft-sandbox.truststore.certificate=file:" + caCertificate.toAbsolutePath(),
				"--mailroom.delivery.ssl-bundle=microsoft-sandbox", "--mailroom.identity.ssl-bundle=microsoft-sandbox",
				"--mailroom.identity.authority-host=" + sandbox.authorityHost(),
				"--mailroom.identity.graph-host=" + sandbox.graphBaseUrl(),
				"--mailroom.identity.instance-discovery=false",
				// the stand-in's SMTP server is on this machine, which the destination guard refuses unless allowed
				"--mailroom.outbound.allowed-hosts=localhost");
	}

	/** The sealing key, for the workers' environment (never their command line). */
	Map<String, String> workerEnvironment() {
		return Map.of("MAILROOM_SECRETS_KEYS_" + SECRETS_KEY_ID.toUpperCase(java.util.Locale.ROOT), secretsKey,
				"MAILROOM_SECRETS_ACTIVE_KEY", SECRETS_KEY_ID);
	}

	/** PostgreSQL's server process and its backends. */
	Stream<ProcessHandle> postgresProcesses() {
		Optional<ProcessHandle> postmaster = ProcessHandle.of(postmasterPid);
		return postmaster.stream().flatMap(p -> Stream.concat(Stream.of(p), p.descendants()));
	}

	private <T> T bean(Class<T> type) {
		return core.getBean(type);
	}

	/** Stops core's beans; the sandbox, broker and database stop with the JVM. */
	@Override
	public void close() {
		core.close();
	}

}
