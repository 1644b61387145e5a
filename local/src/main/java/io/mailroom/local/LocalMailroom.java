package io.mailroom.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import io.mailroom.sandbox.GoogleSandbox;
import io.mailroom.sandbox.MicrosoftSandbox;
import io.mailroom.sandbox.SandboxSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole of Mailroom on one machine, in one JVM: PostgreSQL, a Kafka broker, the Microsoft stand-in
 * (identity platform, Exchange Online SMTP and a page listing the mail it received), the api and the
 * worker. Data stays in {@link LocalSettings#dataDirectory()} between runs; Ctrl-C stops everything.
 *
 * <p>The api and the worker run from the same executable jars as in production, each in a class loader of
 * its own, configured only through properties: what differs here from a real deployment is written in
 * {@link #apiProperties} and {@link #workerProperties}.
 */
public final class LocalMailroom implements AutoCloseable {

	private static final Logger LOG = LoggerFactory.getLogger(LocalMailroom.class);

	/** The account the local run's API key belongs to. */
	public static final String DEMO_ACCOUNT = "demo";

	/** The Spring SSL bundle through which api and worker trust the stand-in's certificate authority. */
	private static final String SANDBOX_BUNDLE = "microsoft-sandbox";

	private final LocalSettings settings;

	// what has started, to stop in reverse order
	private final Deque<AutoCloseable> started = new ArrayDeque<>();

	private LocalSecrets secrets;

	private LocalPostgres postgres;

	private LocalKafka kafka;

	private MicrosoftSandbox microsoft;

	private GoogleSandbox google;

	private LocalMailroom(LocalSettings settings) {
		this.settings = settings;
	}

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && args[0].equals("send")) {
			boolean understood = SendCommand.run(Arrays.asList(args).subList(1, args.length), System.out);
			System.exit(understood ? 0 : 2);
		}
		long begin = System.nanoTime();
		LocalMailroom mailroom = new LocalMailroom(LocalSettings.defaults());
		Runtime.getRuntime().addShutdownHook(new Thread(mailroom::close, "mailroom-local-stop"));
		try {
			mailroom.run();
		}
		catch (RuntimeException ex) {
			LOG.error("Mailroom did not start: {}", ex.getMessage(), ex);
			System.exit(1);
		}
		System.out.println(mailroom.summary(Duration.ofNanos(System.nanoTime() - begin)));
	}

	/** Starts everything with these settings and returns once api and worker are ready. */
	public static LocalMailroom start(LocalSettings settings) {
		LocalMailroom mailroom = new LocalMailroom(settings);
		try {
			mailroom.run();
			return mailroom;
		}
		catch (RuntimeException ex) {
			mailroom.close();
			throw ex;
		}
	}

	private void run() {
		Path data = this.settings.dataDirectory();
		requireFreePorts();
		try {
			Files.createDirectories(data.resolve("logs"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create " + data, ex);
		}
		this.secrets = LocalSecrets.loadOrCreate(data.resolve("local-secrets.properties"));
		Path apps = appsDirectory();
		ApplicationJar apiJar = new ApplicationJar(apps.resolve("mailroom-api-exec.jar"));
		ApplicationJar workerJar = new ApplicationJar(apps.resolve("mailroom-worker-exec.jar"));

		// Each part is independent of the others' start-up: start them side by side, then the apps, which
		// need all three, side by side too: the slowest start, not their sum, sets the wait.
		CompletableFuture<LocalPostgres> postgres = inBackground("postgres",
				() -> LocalPostgres.start(data.resolve("postgres"), this.settings.postgresPort(),
						data.resolve("logs/postgres.log")));
		CompletableFuture<LocalKafka> kafka = inBackground("kafka", () -> LocalKafka.start(data.resolve("kafka"),
				this.settings.kafkaPort(), this.settings.kafkaControllerPort()));
		CompletableFuture<MicrosoftSandbox> microsoft = inBackground("microsoft",
				() -> MicrosoftSandbox.start(SandboxSettings.defaults()
					.withPorts(this.settings.identityPort(), this.settings.smtpPort(), this.settings.controlPort())
					.withAccessTokenLifetime(this.settings.accessTokenLifetime())
					.withInitialData(directory -> DemoMailbox.DEMO.create(directory, redirectUri()))));
		awaitAll(postgres, kafka, microsoft);
		this.postgres = postgres.join();
		this.kafka = kafka.join();
		this.microsoft = microsoft.join();
		this.microsoft.tls().writeCaCertificate(sandboxCertificate());
		// as the seed says of Azure SMTP: mail goes only to addresses of the app's organization, so a test email
		// to an outside address fails here too, with the hint to send it inside the organization
		this.microsoft.scenarios().refuseOutsideRecipients();
		// Google's side shares the stand-in's authority, so one trusted certificate serves both
		this.google = started(GoogleSandbox.start(this.microsoft.tls(), "localhost", InetAddress.getLoopbackAddress(),
				this.settings.googlePort(), this.settings.gmailPort()));
		DemoGoogle.DEMO.create(this.google, redirectUri(), data.resolve("google-service-account.json"));

		awaitAll(inBackground("api", () -> apiJar.start(apiProperties())),
				inBackground("worker", () -> workerJar.start(workerProperties())));
	}

	/** Runs {@code start} on a thread of its own; what it returns is stopped by {@link #close()}. */
	private <T extends AutoCloseable> CompletableFuture<T> inBackground(String name, Supplier<T> start) {
		CompletableFuture<T> future = new CompletableFuture<>();
		Thread.ofPlatform().name("mailroom-local-start-" + name).start(() -> {
			try {
				future.complete(started(start.get()));
			}
			catch (Throwable ex) {
				future.completeExceptionally(ex);
			}
		});
		return future;
	}

	/** Waits for every start, also when one fails, so that nothing starts after {@link #close()}. */
	private static void awaitAll(CompletableFuture<?>... starts) {
		RuntimeException failure = null;
		for (CompletableFuture<?> start : starts) {
			try {
				start.join();
			}
			catch (CompletionException ex) {
				if (failure == null) {
					failure = ex.getCause() instanceof RuntimeException runtime ? runtime
							: new IllegalStateException(ex.getCause());
				}
			}
		}
		if (failure != null) {
			throw failure;
		}
	}

	private <T extends AutoCloseable> T started(T part) {
		synchronized (this.started) {
			this.started.push(part);
		}
		return part;
	}

	/** What api and worker both need: the database, the broker, the secrets key and Microsoft's stand-in. */
	private Map<String, String> commonProperties(String name, int port) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("spring.application.name", name);
		properties.put("server.port", String.valueOf(port));
		properties.put("spring.datasource.url", this.postgres.jdbcUrl());
		properties.put("spring.datasource.username", LocalPostgres.USER);
		properties.put("spring.datasource.password", LocalPostgres.USER);
		properties.put("spring.kafka.bootstrap-servers", this.kafka.bootstrapServers());
		properties.put("spring.kafka.client-id", name);
		properties.put("mailroom.secrets.keys.local", this.secrets.secretsKey());
		properties.put("mailroom.secrets.active-key", "local");
		// Microsoft's stand-in: its login host, and trust in its private certificate authority only
		properties.put("spring.ssl.bundle.pem." + SANDBOX_BUNDLE + ".truststore.certificate",
				"file:" + sandboxCertificate());
		properties.put("mailroom.identity.authority-host", this.microsoft.authorityHost());
		properties.put("mailroom.identity.graph-host", this.microsoft.graphBaseUrl());
		properties.put("mailroom.identity.admin-consent-redirect-uri", this.settings.apiUrl() + "/oauth2/custom-smtp-token");
		properties.put("mailroom.identity.instance-discovery", "false");
		properties.put("mailroom.identity.ssl-bundle", SANDBOX_BUNDLE);
		properties.put("mailroom.google.authorization-uri", this.google.authorizationUri());
		properties.put("mailroom.google.token-uri", this.google.tokenUri());
		properties.put("mailroom.google.ssl-bundle", SANDBOX_BUNDLE);
		// the stand-in's SMTP server runs on this machine: an internal host that the destination guard
		// refuses unless allowed, as a deployment would allow a relay of its own network
		properties.put("mailroom.outbound.allowed-hosts", "localhost");
		// LocalMailroom stops the apps before the infrastructure they use, in one shutdown hook
		properties.put("spring.main.register-shutdown-hook", "false");
		properties.put("logging.register-shutdown-hook", "false");
		properties.put("spring.main.banner-mode", "off");
		// one console for five servers: Kafka clients' configuration dumps would drown the rest
		properties.put("logging.level.org.apache.kafka", "WARN");
		return properties;
	}

	private Map<String, String> apiProperties() {
		Map<String, String> properties = commonProperties("mailroom-api", this.settings.apiPort());
		// health probes and metrics on a port of their own, as in a deployment: the api's port is public
		properties.put("management.server.port", String.valueOf(this.settings.apiManagementPort()));
		properties.put("mailroom.api.authorization.public-base-url", this.settings.apiUrl());
		// the admin page sends the browser back to itself after Microsoft's sign-in
		properties.put("mailroom.api.authorization.allowed-return-urls", this.settings.apiUrl() + "/");
		properties.put("mailroom.api.security.initial-key.account-id", DEMO_ACCOUNT);
		properties.put("mailroom.api.security.initial-key.name", "local");
		properties.put("mailroom.api.security.initial-key.value", this.secrets.apiKey());
		return properties;
	}

	private Map<String, String> workerProperties() {
		Map<String, String> properties = commonProperties("mailroom-worker", this.settings.workerPort());
		properties.put("mailroom.delivery.ssl-bundle", SANDBOX_BUNDLE);
		// the stand-in enforces Exchange Online's 30 messages a minute: pace the demo mailbox accordingly
		properties.put("mailroom.scheduling.microsoft-hosts", "smtp.office365.com,localhost");
		return properties;
	}

	private String redirectUri() {
		return this.settings.apiUrl() + "/oauth2/custom-smtp-token";
	}

	private Path sandboxCertificate() {
		return this.settings.dataDirectory().resolve("sandbox-ca.pem");
	}

	private void requireFreePorts() {
		Map<String, Integer> ports = new LinkedHashMap<>();
		ports.put("the api", this.settings.apiPort());
		ports.put("the api's metrics and health probes", this.settings.apiManagementPort());
		ports.put("the worker", this.settings.workerPort());
		ports.put("PostgreSQL", this.settings.postgresPort());
		ports.put("Kafka", this.settings.kafkaPort());
		ports.put("Kafka's controller", this.settings.kafkaControllerPort());
		ports.put("the stand-in identity platform", this.settings.identityPort());
		ports.put("the stand-in SMTP server", this.settings.smtpPort());
		ports.put("the stand-in mailbox page", this.settings.controlPort());
		ports.put("the Google stand-in", this.settings.googlePort());
		ports.put("the Google stand-in's Gmail SMTP server", this.settings.gmailPort());
		ports.forEach((what, port) -> {
			try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
				socket.setReuseAddress(true);
			}
			catch (IOException ex) {
				throw new IllegalStateException("Port " + port + " for " + what
						+ " is taken: is Mailroom already running (./run-local in another terminal)?");
			}
		});
	}

	private static Path appsDirectory() {
		String configured = System.getProperty("mailroom.local.apps");
		if (configured != null) {
			return Path.of(configured);
		}
		try (InputStream in = LocalMailroom.class.getResourceAsStream("/mailroom-local.properties")) {
			Properties properties = new Properties();
			properties.load(in);
			return Path.of(properties.getProperty("apps"));
		}
		catch (IOException | NullPointerException ex) {
			throw new IllegalStateException("mailroom-local.properties is missing: build the local module with Maven", ex);
		}
	}

	/** The api, e.g. {@code http://localhost:8080}. */
	public String apiUrl() {
		return this.settings.apiUrl();
	}

	/** The api's actuator (metrics, health probes), e.g. {@code http://localhost:8082}. */
	public String apiManagementUrl() {
		return this.settings.apiManagementUrl();
	}

	/** The worker's actuator, e.g. {@code http://localhost:8081}. */
	public String workerUrl() {
		return this.settings.workerUrl();
	}

	/** The demo account's API key. */
	public String apiKey() {
		return this.secrets.apiKey();
	}

	public MicrosoftSandbox microsoft() {
		return this.microsoft;
	}

	public GoogleSandbox google() {
		return this.google;
	}

	/** Where the local run keeps its data ({@code .mailroom}). */
	public Path dataDirectory() {
		return this.settings.dataDirectory();
	}

	public String kafkaBootstrapServers() {
		return this.kafka.bootstrapServers();
	}

	public String jdbcUrl() {
		return this.postgres.jdbcUrl();
	}

	/** What the README's walkthrough refers to: URLs, the API key and the demo values. */
	String summary(Duration startup) {
		DemoMailbox demo = DemoMailbox.DEMO;
		DemoGoogle google = DemoGoogle.DEMO;
		String api = apiUrl();
		return String.format(Locale.ROOT, """

				Mailroom is running (started in %.1f s). Ctrl-C stops it; data stays in %s
				(stop, then rm -rf that folder, to start afresh).

				  Admin page          %s/#key=%s   (the key in the fragment logs you in)
				  API docs            %s/swagger-ui.html
				  API key             %s   (header X-Api-Key, account "%s")
				  Stand-in mailbox    %s/
				  Metrics             %s/actuator/prometheus   (api)
				                      %s/actuator/prometheus   (worker)
				  Kafka               %s
				  PostgreSQL          %s   (user %s)

				  Create an SMTP service with these values of the stand-in's demo organization:
				    Login email       %s
				    Client ID         %s
				    Client secret     %s
				    Tenant ID         %s
				    SMTP host, port   %s, %d   (STARTTLS; Microsoft's is smtp.office365.com, 587)
				  Redirect URI registered on the demo app: %s

				  Or with Provider Google, the stand-in's demo Google Workspace:
				    Login email       %s
				    Client ID         %s
				    Client secret     %s
				    SMTP host, port   %s, %d   (STARTTLS; Gmail's is smtp.gmail.com, 587)
				    Service account   key in %s (domain-wide delegation allowed)
				  Redirect URI registered on the demo OAuth client: %s
				  Google's sign-in page: %s
				""", startup.toMillis() / 1000.0, this.settings.dataDirectory(), api, apiKey(), api, apiKey(), DEMO_ACCOUNT,
				this.microsoft.controlUrl(), apiManagementUrl(), workerUrl(), kafkaBootstrapServers(), jdbcUrl(), LocalPostgres.USER,
				demo.loginEmail(), demo.clientId(), demo.clientSecret(), demo.tenantId(), this.microsoft.smtpHost(),
				this.microsoft.smtpPort(), redirectUri(), google.loginEmail(), google.clientId(), google.clientSecret(),
				this.google.smtpHost(), this.google.smtpPort(),
				this.settings.dataDirectory().resolve("google-service-account.json"), redirectUri(),
				this.google.authorizationUri());
	}

	/** Stops the apps first (they finish what they are doing), then Kafka, the stand-in and PostgreSQL. */
	@Override
	public void close() {
		synchronized (this.started) {
			if (!this.started.isEmpty()) {
				LOG.info("Stopping Mailroom");
			}
			while (!this.started.isEmpty()) {
				AutoCloseable part = this.started.pop();
				try {
					part.close();
				}
				catch (Exception ex) {
					LOG.warn("Could not stop {} cleanly", part, ex);
				}
			}
		}
	}

}
