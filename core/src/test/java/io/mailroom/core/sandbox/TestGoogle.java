package io.mailroom.core.sandbox;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.mailroom.core.google.GoogleAccounts;
import io.mailroom.core.secrets.SecretBox;
import io.mailroom.core.services.Access;
import io.mailroom.core.services.GoogleOAuth2;
import io.mailroom.core.services.ServiceStatus;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.services.SmtpServices;
import io.mailroom.core.tokens.TokenCaches;
import io.mailroom.sandbox.Consent;
import io.mailroom.sandbox.GoogleSandbox;
import io.mailroom.sandbox.GoogleWorkspace;

/**
 * The Google stand-in for tests of every module: one per test JVM, trusted through the Microsoft stand-in's CA
 * (so the {@code microsoft-sandbox} SSL bundle serves both), plus Workspaces and services to send with.
 */
public final class TestGoogle {

	private static GoogleSandbox sandbox;

	private TestGoogle() {
	}

	public static synchronized GoogleSandbox sandbox() {
		if (sandbox == null) {
			sandbox = GoogleSandbox.start(TestMicrosoft.sandbox().tls());
			GoogleSandbox started = sandbox;
			Runtime.getRuntime().addShutdownHook(new Thread(started::close, "test-google-stop"));
		}
		return sandbox;
	}

	/** Spring settings that point Google's endpoints at the stand-in (with {@link TestMicrosoft#springProperties()}). */
	public static Map<String, Object> springProperties() {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("mailroom.google.authorization-uri", sandbox().authorizationUri());
		properties.put("mailroom.google.token-uri", sandbox().tokenUri());
		properties.put("mailroom.google.ssl-bundle", "microsoft-sandbox");
		return properties;
	}

	/** A Workspace domain with a user and an Internal, published OAuth client of that domain. */
	public static Workspace newWorkspace() {
		String domain = "g" + UUID.randomUUID().toString().substring(0, 8) + ".example";
		String user = "sender@" + domain;
		sandbox().workspace().createUser(user);
		GoogleWorkspace.OAuthClient client = sandbox().workspace().registerClient(domain, GoogleWorkspace.UserType.INTERNAL,
				GoogleWorkspace.PublishingStatus.IN_PRODUCTION, TestMicrosoft.REDIRECT_URI);
		return new Workspace(domain, user, client);
	}

	/** A stored Google service of the Workspace's user: a user grant to authorize, or a service account's. */
	public static SmtpService storeService(SmtpServices services, SecretBox secrets, String accountId, Workspace workspace,
			GoogleWorkspace.ServiceAccount serviceAccount, Integer dailyLimit) {
		UUID id = UUID.randomUUID();
		GoogleOAuth2 google = serviceAccount == null
				? new GoogleOAuth2(workspace.user(), workspace.client().clientId(),
						secrets.sealFor(workspace.client().clientSecret(), SmtpService.secretContext(id, "client_secret")),
						Access.DELEGATED, null)
				: new GoogleOAuth2(workspace.user(), null, null, Access.APPLICATION,
						new GoogleOAuth2.ServiceAccount(secrets.sealFor(serviceAccount.jsonKey(),
								SmtpService.secretContext(id, SmtpServices.SERVICE_ACCOUNT_KEY)),
								serviceAccount.clientEmail(), serviceAccount.clientId()));
		Instant now = Instant.now();
		SmtpService service = new SmtpService(id, accountId, "Gmail", sandbox().smtpHost(), sandbox().smtpPort(),
				workspace.user(), null, null, google,
				serviceAccount == null ? ServiceStatus.NOT_AUTHORIZED : ServiceStatus.AUTHORIZED, null, now, null, null,
				null, null, null, null, null, null, null, now, now, 0, dailyLimit);
		services.insert(service);
		return services.find(id).orElseThrow();
	}

	/** Authorizes a user-grant service as an admin would, through Mailroom's own Google calls, and stores the grant. */
	public static void authorize(SmtpService service, GoogleAccounts accounts, TokenCaches caches, SmtpServices services) {
		try {
			String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
			String challenge = Base64.getUrlEncoder().withoutPadding()
				.encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
			URI authorize = accounts.authorizeUrl(service.google(), TestMicrosoft.REDIRECT_URI, "state", challenge);
			String code = sandbox().signIn(authorize, service.google().loginEmail(), Consent.ACCEPT).code();
			GoogleAccounts.Grant grant = accounts.redeem(service.google(), code, verifier, TestMicrosoft.REDIRECT_URI);
			caches.replace(service.id(), grant.stored());
			services.markAuthorized(service.id(), grant.account(), Instant.now());
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not authorize service " + service.id() + " at the Google stand-in", ex);
		}
	}

	/** A Workspace domain, its user and an OAuth client. */
	public record Workspace(String domain, String user, GoogleWorkspace.OAuthClient client) {
	}

}
