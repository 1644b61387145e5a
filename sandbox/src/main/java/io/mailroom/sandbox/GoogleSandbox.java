package io.mailroom.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local Google: accounts.google.com's authorization endpoint and consent page, oauth2.googleapis.com's token
 * endpoint (authorization code with PKCE, refresh token, service accounts' JWT bearer grant) over HTTPS, and Gmail's
 * SMTP submission (STARTTLS, XOAUTH2) with Gmail's replies and daily limit. Google's own library and Angus Mail talk
 * to it as to Google; tests set up Workspace users, OAuth clients, service accounts and domain-wide delegation
 * through {@link #workspace()} and read what Gmail accepted from {@link #mailbox()}.
 *
 * <pre>{@code
 * try (GoogleSandbox google = GoogleSandbox.start(microsoft.tls())) {
 *     google.workspace().createUser("alice@example.com");
 *     OAuthClient client = google.workspace().registerClient("example.com", INTERNAL, IN_PRODUCTION, redirectUri);
 *     AuthorizationRedirect back = google.signIn(authorizeUrl, "alice@example.com", Consent.ACCEPT);
 * }
 * }</pre>
 */
public final class GoogleSandbox implements AutoCloseable {

	private static final Logger LOG = LoggerFactory.getLogger(GoogleSandbox.class);

	private static final Pattern HIDDEN_INPUT = Pattern.compile("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\"");

	private static final Pattern ERROR = Pattern.compile("<div id=\"google-error\" data-error=\"([^\"]*)\">([^<]*)</div>");

	private final SandboxTls tls;

	private final GoogleWorkspace workspace;

	private final Mailbox mailbox = new Mailbox(true);

	private final GoogleAccountsServer accounts;

	private final GmailSmtp smtp;

	private final String hostName;

	private final HttpClient browser;

	private GoogleSandbox(SandboxTls tls, String hostName, InetAddress bindAddress, int accountsPort, int smtpPort,
			Clock clock) throws IOException {
		this.tls = tls;
		this.hostName = hostName;
		this.workspace = new GoogleWorkspace(clock);
		this.accounts = new GoogleAccountsServer(hostName, bindAddress, accountsPort, tls, this.workspace);
		this.smtp = new GmailSmtp(hostName, bindAddress, smtpPort, tls, this.workspace, this.mailbox);
		this.accounts.start();
		try {
			this.smtp.start();
		}
		catch (RuntimeException ex) {
			this.accounts.close();
			throw ex;
		}
		this.browser = HttpClient.newBuilder()
			.sslContext(tls.sslContext())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	/** Starts on free ports of localhost, trusted through {@code tls} (share the Microsoft stand-in's). */
	public static GoogleSandbox start(SandboxTls tls) {
		return start(tls, "localhost", InetAddress.getLoopbackAddress(), 0, 0);
	}

	/** Starts on the given ports (0 for a free one). */
	public static GoogleSandbox start(SandboxTls tls, String hostName, InetAddress bindAddress, int accountsPort,
			int smtpPort) {
		try {
			GoogleSandbox sandbox = new GoogleSandbox(tls, hostName, bindAddress, accountsPort, smtpPort,
					Clock.systemUTC());
			LOG.info("Google stand-in: accounts {}, Gmail SMTP {}:{}", sandbox.accounts.baseUrl(), hostName,
					sandbox.smtpPort());
			return sandbox;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the Google stand-in", ex);
		}
	}

	/** accounts.google.com's authorization endpoint ({@code https://accounts.google.com/o/oauth2/v2/auth}). */
	public String authorizationUri() {
		return this.accounts.authorizationUri();
	}

	/** The token endpoint ({@code https://oauth2.googleapis.com/token}). */
	public String tokenUri() {
		return this.accounts.tokenUri();
	}

	/** Gmail's SMTP host (smtp.gmail.com). */
	public String smtpHost() {
		return this.hostName;
	}

	/** Gmail's submission port (587); STARTTLS is required. */
	public int smtpPort() {
		return this.smtp.port();
	}

	public SandboxTls tls() {
		return this.tls;
	}

	public GoogleWorkspace workspace() {
		return this.workspace;
	}

	/** What Gmail accepted. */
	public Mailbox mailbox() {
		return this.mailbox;
	}

	/** A service account with a JSON key whose token_uri is this stand-in's token endpoint. */
	public GoogleWorkspace.ServiceAccount createServiceAccount(String project, String name) {
		return this.workspace.createServiceAccount(project, name, tokenUri());
	}

	/** Registers a service account from a JSON key made by an earlier run of the stand-in. */
	public GoogleWorkspace.ServiceAccount importServiceAccount(String jsonKey) {
		return this.workspace.importServiceAccount(jsonKey);
	}

	/**
	 * Signs in as a person would: opens the authorize URL, enters {@code account} on the consent page, allows or
	 * cancels, and returns where Google sends the browser back (a code, or {@code error=access_denied}).
	 * @throws GoogleSignInFailed when Google shows its own error page instead (org_internal, access_denied for a
	 *     non-test user of an app in Testing, redirect_uri_mismatch…)
	 */
	public AuthorizationRedirect signIn(URI authorizeUrl, String account, Consent consent) {
		HttpResponse<String> page = send(HttpRequest.newBuilder(authorizeUrl).GET());
		failIfError(page);
		Map<String, String> form = new LinkedHashMap<>();
		Matcher input = HIDDEN_INPUT.matcher(page.body());
		while (input.find()) {
			form.put(Http.unescape(input.group(1)), Http.unescape(input.group(2)));
		}
		form.put("login", account);
		form.put("decision", consent == Consent.ACCEPT ? "accept" : "cancel");
		HttpResponse<String> answer = send(HttpRequest.newBuilder(authorizeUrl.resolve("/o/oauth2/v2/auth/consent"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(Http.encode(form))));
		failIfError(answer);
		String location = answer.headers().firstValue("Location").orElseThrow(
				() -> new IllegalStateException("Unexpected answer " + answer.statusCode() + ": " + answer.body()));
		int query = location.indexOf('?');
		return new AuthorizationRedirect(URI.create(location.substring(0, query)), "GET",
				Http.decode(location.substring(query + 1)));
	}

	/** Google's error page instead of a redirect. */
	public static final class GoogleSignInFailed extends RuntimeException {

		private final String error;

		GoogleSignInFailed(String error, String message) {
			super("Error: " + error + ": " + message);
			this.error = error;
		}

		/** The error the page shows, e.g. {@code org_internal}. */
		public String error() {
			return this.error;
		}

	}

	private static void failIfError(HttpResponse<String> page) {
		Matcher error = ERROR.matcher(page.body());
		if (error.find()) {
			throw new GoogleSignInFailed(Http.unescape(error.group(1)), Http.unescape(error.group(2)));
		}
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return this.browser.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Sign-in interrupted", ex);
		}
	}

	@Override
	public void close() {
		this.smtp.close();
		this.accounts.close();
	}

	@Override
	public String toString() {
		return "GoogleSandbox[accounts=" + this.accounts.baseUrl() + ", smtp=" + this.hostName + ":" + smtpPort() + "]";
	}


}
