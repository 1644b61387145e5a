package io.mailroom.api;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.mailroom.core.sandbox.TestMicrosoft;
import io.mailroom.sandbox.AuthorizationRedirect;
import io.mailroom.sandbox.Consent;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every log line of a full run (create, authorize through Microsoft, test email through the worker, with
 * Mailroom's loggers at DEBUG) is free of secrets: client secrets, passwords, API keys, authorization codes,
 * states, PKCE verifiers and the tokens Microsoft issued.
 */
class LogCaptureIntegrationTest extends ApiIntegrationTest {

	@Test
	void aFullCreateAuthorizeAndTestEmailRunLogsNoSecretTokenCodeStateOrPassword() {
		Map<String, String> secrets = new LinkedHashMap<>();
		List<String> lines = capturingLogs(() -> run(secrets));

		assertThat(lines).as("the run was logged").hasSizeGreaterThan(20);
		assertThat(lines).anyMatch(line -> line.contains("authorized"));
		assertThat(secrets.keySet()).contains("client secret", "password", "API key", "state", "code",
				"PKCE verifier", "access token", "refresh token");
		secrets.forEach((what, secret) -> assertThat(lines).as("log lines containing the " + what)
			.noneMatch(line -> line.contains(secret)));
	}

	private void run(Map<String, String> secrets) {
		String account = "acct-" + UUID.randomUUID();
		ApiClient jwtAdmin = admin(account, "ada@product.test");
		String key = jwtAdmin.post("/api/api-keys", Map.of("name", "log test", "role", "ADMIN")).json().path("key").asString();
		secrets.put("API key", key);
		ApiClient admin = anonymous().with("X-Api-Key", key);

		TestMicrosoft.Mailbox mailbox = newMailbox();
		secrets.put("client secret", mailbox.app().clientSecret());
		String relay = "relay@" + mailbox.tenant().domain();
		microsoft().directory().createUser(mailbox.tenant(), relay);
		String password = "basic-password-" + UUID.randomUUID();
		microsoft().directory().setBasicPassword(relay, password);
		secrets.put("password", password);
		secrets.put("password in base64 (AUTH LOGIN)", base64(password));
		Map<String, Object> basic = SmtpServiceIntegrationTest.basicService(relay, password);
		basic.put("host", microsoft().smtpHost());
		basic.put("port", microsoft().smtpPort());
		String basicId = create(admin, basic).path("id").asString();
		String id = create(admin, oauth2Service(mailbox)).path("id").asString();

		URI authorize = startAuthorization(admin, id, RETURN_URL);
		String state = query(authorize.toString()).get("state");
		secrets.put("state", state);
		AuthorizationRedirect redirect = microsoft().signIn(authorize, mailbox.upn(), Consent.ACCEPT);
		secrets.put("code", redirect.code());
		assertThat(query(follow(redirect).header("Location"))).containsEntry("authorization", "succeeded");
		byte[] sealedVerifier = jdbc.sql("select code_verifier from authorization_attempt where service_id = ?")
			.param(UUID.fromString(id))
			.query(byte[].class)
			.single();
		String stateHash = jdbc.sql("select state_hash from authorization_attempt where service_id = ?")
			.param(UUID.fromString(id))
			.query(String.class)
			.single();
		secrets.put("PKCE verifier",
				this.secrets.open(sealedVerifier, "authorization_attempt/" + stateHash + "/code_verifier"));
		tokens(id, secrets, "");

		ApiClient.Response tested = admin.post("/api/smtp-services/" + id + "/test-email",
				Map.of("recipient", mailbox.upn()));
		assertThat(tested.json().path("outcome").asString()).isEqualTo("SENT");
		tokens(id, secrets, " after sending");
		secrets.entrySet()
			.stream()
			.filter(entry -> entry.getKey().startsWith("access token"))
			.toList()
			.forEach(token -> secrets.put("XOAUTH2 response with the " + token.getKey(),
					base64("user=" + mailbox.upn() + "\u0001auth=Bearer " + token.getValue() + "\u0001\u0001")));
		ApiClient.Response basicTest = admin.post("/api/smtp-services/" + basicId + "/test-email",
				Map.of("recipient", mailbox.upn()));
		assertThat(basicTest.json().path("outcome").asString()).as(basicTest.toString()).isEqualTo("SENT");
	}

	private static String base64(String text) {
		return java.util.Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	/** The tokens in the service's stored MSAL cache. */
	private void tokens(String serviceId, Map<String, String> secrets, String when) {
		JsonNode cache = ApiClient.JSON.readTree(tokenCaches.load(UUID.fromString(serviceId)).orElseThrow().json());
		Map<String, String> kinds = Map.of("AccessToken", "access token", "RefreshToken", "refresh token", "IdToken",
				"id token");
		kinds.forEach((section, what) -> {
			List<JsonNode> tokens = cache.path(section).findValues("secret");
			for (int i = 0; i < tokens.size(); i++) {
				secrets.put(what + when + (i == 0 ? "" : " " + i), tokens.get(i).asString());
			}
		});
	}

	private static List<String> capturingLogs(Runnable run) {
		LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
		Logger root = logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		Logger mailroom = logback.getLogger("io.mailroom");
		Level level = mailroom.getLevel();
		ListAppender<ILoggingEvent> captured = new ListAppender<>();
		captured.start();
		root.addAppender(captured);
		mailroom.setLevel(Level.DEBUG);
		try {
			run.run();
		}
		finally {
			mailroom.setLevel(level);
			root.detachAppender(captured);
			captured.stop();
		}
		List<String> lines = new ArrayList<>();
		for (ILoggingEvent event : List.copyOf(captured.list)) {
			StringBuilder line = new StringBuilder(event.getLoggerName()).append(' ').append(event.getFormattedMessage());
			if (event.getThrowableProxy() != null) {
				line.append('\n').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
			}
			event.getMDCPropertyMap().forEach((name, value) -> line.append(' ').append(name).append('=').append(value));
			lines.add(line.toString());
		}
		return lines;
	}

}
