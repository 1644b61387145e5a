package io.mailroom.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local Microsoft: the identity platform (authorize and token endpoints over HTTPS) and Exchange Online
 * SMTP submission (STARTTLS, XOAUTH2), sharing one directory of tenants, apps and mailboxes. Production code
 * paths talk to it as to Microsoft; tests drive failures through {@link #scenarios()} and check outcomes
 * through {@link #mailbox()} and {@link #stats()}.
 *
 * <pre>{@code
 * try (MicrosoftSandbox microsoft = MicrosoftSandbox.start()) {
 *     Tenant contoso = microsoft.directory().createTenant("contoso.com");
 *     AppRegistration app = microsoft.directory().registerApp(contoso, false, "https://app.test/callback");
 *     microsoft.directory().createUser(contoso, "alice@contoso.com");
 *     String authority = microsoft.authority(contoso); // for MSAL4J, with instanceDiscovery(false)
 *     ...
 * }
 * }</pre>
 */
public final class MicrosoftSandbox implements AutoCloseable {

	private static final Logger LOG = LoggerFactory.getLogger(MicrosoftSandbox.class);

	private final SandboxSettings settings;

	private final SandboxTls tls;

	private final Directory directory;

	private final Scenarios scenarios;

	private final Mailbox mailbox;

	private final SandboxStats stats;

	private final IdentityPlatform identity;

	private final ExchangeSmtp smtp;

	private final ControlServer control;

	private final GraphApi graph;

	private final AdminConsent adminConsent;

	private final SignInClient signInClient;

	private MicrosoftSandbox(SandboxSettings settings) throws IOException {
		this.settings = settings;
		this.tls = SandboxTls.forHosts(List.of(settings.hostName()));
		this.directory = new Directory(settings.clock(), settings.clientSecretLifetime());
		Grants grants = new Grants();
		this.scenarios = new Scenarios(this.directory, grants::lastGrant, settings.smtpLimits());
		this.mailbox = new Mailbox(settings.keepMessageContent());
		this.stats = new SandboxStats();
		settings.initialData().accept(this.directory);
		List<AutoCloseable> opened = new ArrayList<>();
		try {
			this.adminConsent = new AdminConsent(this.directory, settings);
			this.identity = new IdentityPlatform(settings, this.tls, this.directory, grants, this.scenarios, this.stats,
					this.adminConsent);
			opened.add(this.identity);
			this.graph = new GraphApi(settings, this.tls, this.directory, grants, this.scenarios, this.mailbox, this.stats);
			opened.add(this.graph);
			SubmissionQuotas quotas = new SubmissionQuotas();
			SmtpAuthentication authentication = new SmtpAuthentication(this.directory, grants, this.scenarios,
					settings.clock());
			this.smtp = new ExchangeSmtp(settings, this.tls,
					new ExchangeCommands(authentication, quotas, this.scenarios, this.stats, settings.clock()),
					new MessageSubmission(this.scenarios, quotas, this.mailbox, this.stats, settings.clock()),
					this.scenarios, this.stats);
			this.control = new ControlServer(settings, this);
			opened.add(this.control);
			this.identity.start();
			this.graph.start();
			this.smtp.start();
			opened.add(this.smtp);
			this.control.start();
		}
		catch (IOException | RuntimeException ex) {
			for (AutoCloseable server : opened) {
				closeQuietly(server);
			}
			throw ex;
		}
		this.signInClient = new SignInClient(this.tls.sslContext());
		// RSA key generation takes a second on a busy machine: have it done before the first id token.
		Thread.ofVirtual().name("sandbox-signing-key").start(SigningKey::get);
	}

	/** Starts a sandbox on free ports with {@link SandboxSettings#defaults() the default settings}. */
	public static MicrosoftSandbox start() {
		return start(SandboxSettings.defaults());
	}

	public static MicrosoftSandbox start(SandboxSettings settings) {
		try {
			MicrosoftSandbox sandbox = new MicrosoftSandbox(settings);
			LOG.info("Microsoft sandbox: identity platform {}, SMTP {}:{}, control page {}", sandbox.authorityHost(),
					sandbox.smtpHost(), sandbox.smtpPort(), sandbox.controlUrl());
			return sandbox;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the Microsoft sandbox", ex);
		}
	}

	/** The identity platform's base URL, e.g. {@code https://localhost:49152} (login.microsoftonline.com). */
	public String authorityHost() {
		return this.identity.baseUrl();
	}

	/** The MSAL authority for a tenant: {@code authorityHost + "/" + tenantId + "/"}. */
	public String authority(Tenant tenant) {
		return authority(tenant.id());
	}

	/** The MSAL authority for a tenant segment: a tenant ID or domain, {@code organizations} or {@code common}. */
	public String authority(String tenantSegment) {
		return authorityHost() + "/" + tenantSegment + "/";
	}

	/** Microsoft Graph's base URL, e.g. {@code https://localhost:49160} (https://graph.microsoft.com). */
	public String graphBaseUrl() {
		return this.graph.baseUrl();
	}

	/** The copies Graph saved in a mailbox's Sent Items (internetMessageId and subject). */
	public List<String> sentItems(String userPrincipalName) {
		return this.graph.sentItems(userPrincipalName).stream().map(GraphApi.StoredMessage::internetMessageId).toList();
	}

	/**
	 * Grants admin consent as an admin would in a browser: opens the admin-consent URL
	 * ({@code /{tenant}/v2.0/adminconsent?client_id=…&redirect_uri=…&scope=…}) and accepts or declines as
	 * {@code admin}. Returns where the browser is sent back to.
	 */
	public URI adminConsent(URI adminConsentUrl, String admin, Consent consent) {
		return this.signInClient.adminConsent(adminConsentUrl, admin, consent);
	}

	/** The SMTP host name (smtp.office365.com). */
	public String smtpHost() {
		return this.settings.hostName();
	}

	/** The SMTP submission port (587 at Microsoft); STARTTLS is required. */
	public int smtpPort() {
		return this.smtp.port();
	}

	/** The plain-HTTP control page and its JSON, e.g. {@code http://localhost:49154}. */
	public String controlUrl() {
		return "http://" + this.settings.hostName() + ":" + this.control.port();
	}

	/** What clients need to trust the sandbox. */
	public SandboxTls tls() {
		return this.tls;
	}

	public Directory directory() {
		return this.directory;
	}

	public Scenarios scenarios() {
		return this.scenarios;
	}

	/** The messages Exchange accepted. */
	public Mailbox mailbox() {
		return this.mailbox;
	}

	public SandboxStats stats() {
		return this.stats;
	}

	public SandboxSettings settings() {
		return this.settings;
	}

	/**
	 * Signs in as a person would in a browser: opens the authorize URL (as built by MSAL's
	 * {@code getAuthorizationRequestUrl}), enters {@code account} on the consent page and accepts or
	 * declines. Returns what the browser would then send to the app's redirect URI, a code or an error.
	 * @throws SignInFailed if the sign-in ends on the identity platform's error page instead
	 */
	public AuthorizationRedirect signIn(URI authorizeUrl, String account, Consent consent) {
		return this.signInClient.signIn(authorizeUrl, account, consent);
	}

	/** Stops the servers; connections still open are closed. */
	@Override
	public void close() {
		closeQuietly(this.control);
		closeQuietly(this.smtp);
		closeQuietly(this.graph);
		closeQuietly(this.identity);
	}

	private static void closeQuietly(AutoCloseable server) {
		try {
			server.close();
		}
		catch (Exception ex) {
			LOG.warn("Could not stop a server of the Microsoft sandbox", ex);
		}
	}

	@Override
	public String toString() {
		return "MicrosoftSandbox[identity=" + authorityHost() + ", graph=" + graphBaseUrl() + ", smtp=" + smtpHost() + ":" + smtpPort() + ", control="
				+ controlUrl() + "]";
	}

}
