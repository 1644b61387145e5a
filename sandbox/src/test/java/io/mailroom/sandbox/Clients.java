package io.mailroom.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import tools.jackson.core.type.TypeReference;

/**
 * The clients tests use against the sandbox: plain HTTP for the identity platform's raw answers, and Angus
 * Mail set up as a delivery worker would set it up for Exchange Online.
 */
final class Clients {

	static final String SMTP_SEND = "https://outlook.office.com/SMTP.Send";

	static final String DELEGATED_SCOPES = SMTP_SEND + " offline_access openid profile";

	private static final SecureRandom random = new SecureRandom();

	private Clients() {
	}

	/** A token endpoint answer: status, headers and JSON body. */
	record TokenResponse(int status, Map<String, String> headers, Map<String, Object> body) {

		String string(String name) {
			return (String) this.body.get(name);
		}

	}

	static TokenResponse token(MicrosoftSandbox sandbox, String tenantSegment, Map<String, String> form) {
		return token(sandbox, tenantSegment, form, Map.of());
	}

	static TokenResponse token(MicrosoftSandbox sandbox, String tenantSegment, Map<String, String> form,
			Map<String, String> requestHeaders) {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create(sandbox.authority(tenantSegment) + "oauth2/v2.0/token"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(Http.encode(form)));
		requestHeaders.forEach(request::header);
		HttpResponse<String> response = send(sandbox, request);
		Map<String, String> headers = new LinkedHashMap<>();
		response.headers().map().forEach((name, values) -> headers.put(name.toLowerCase(), String.join(", ", values)));
		return new TokenResponse(response.statusCode(), headers,
				Json.mapper.readValue(response.body(), new TypeReference<Map<String, Object>>() {
				}));
	}

	static HttpResponse<String> get(MicrosoftSandbox sandbox, String url) {
		return send(sandbox, HttpRequest.newBuilder(URI.create(url)).GET());
	}

	/** An app-only token from the client-credentials grant with the app's secret. */
	static String appToken(MicrosoftSandbox sandbox, Tenant tenant, AppRegistration app, String resource) {
		TokenResponse response = token(sandbox, tenant.id(), Map.of("grant_type", "client_credentials", "client_id",
				app.clientId(), "client_secret", app.clientSecret(), "scope", resource + "/.default"));
		if (response.status() != 200) {
			throw new IllegalStateException("No token: " + response.body());
		}
		return response.string("access_token");
	}

	/** The claims of a JWT access token, read without checking its signature (as clients may). */
	static Map<String, Object> claims(String jwt) {
		return Json.mapper.readValue(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]),
				new TypeReference<Map<String, Object>>() {
				});
	}

	/** A Graph request with a bearer token: status, headers, body. */
	static HttpResponse<String> graph(MicrosoftSandbox sandbox, String method, String path, String token,
			String contentType, byte[] body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(path.startsWith("https:") ? path
				: sandbox.graphBaseUrl() + path));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
		return send(sandbox, request);
	}

	/** One chunk to an upload session's URL: no Authorization header, a Content-Range. */
	static HttpResponse<String> putRange(MicrosoftSandbox sandbox, String uploadUrl, byte[] chunk, long first, long last,
			long total) {
		return send(sandbox, HttpRequest.newBuilder(URI.create(uploadUrl))
			.header("Content-Range", "bytes " + first + "-" + last + "/" + total)
			.PUT(HttpRequest.BodyPublishers.ofByteArray(chunk)));
	}

	/** A plain MIME message, as Graph's sendMail takes it (before base64). */
	static byte[] mime(String from, String to, String subject, String messageId, String body) {
		return ("From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nMessage-ID: " + messageId
				+ "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n")
			.getBytes(StandardCharsets.UTF_8);
	}

	private static HttpResponse<String> send(MicrosoftSandbox sandbox, HttpRequest.Builder request) {
		HttpClient http = HttpClient.newBuilder().sslContext(sandbox.tls().sslContext()).build();
		try {
			return http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** An authorize URL as an app builds it: form_post, PKCE S256 with the given verifier. */
	static URI authorizeUrl(MicrosoftSandbox sandbox, String tenantSegment, AppRegistration app, String redirectUri,
			String loginHint, String verifier) {
		return authorizeUrl(sandbox, tenantSegment, app, redirectUri, loginHint, verifier, DELEGATED_SCOPES);
	}

	static URI authorizeUrl(MicrosoftSandbox sandbox, String tenantSegment, AppRegistration app, String redirectUri,
			String loginHint, String verifier, String scopes) {
		Map<String, String> query = new LinkedHashMap<>();
		query.put("client_id", app.clientId());
		query.put("response_type", "code");
		query.put("redirect_uri", redirectUri);
		query.put("response_mode", "form_post");
		query.put("scope", scopes);
		query.put("state", "state-" + random.nextInt(1_000_000));
		query.put("code_challenge", challenge(verifier));
		query.put("code_challenge_method", "S256");
		query.put("login_hint", loginHint);
		return URI.create(sandbox.authority(tenantSegment) + "oauth2/v2.0/authorize?" + Http.encode(query));
	}

	/** Signs {@code upn} in to {@code app} and redeems the code: the token response. */
	static TokenResponse signInAndRedeem(MicrosoftSandbox sandbox, Tenant tenant, AppRegistration app, String upn) {
		return signInAndRedeem(sandbox, tenant, app, upn, DELEGATED_SCOPES);
	}

	/** Signs {@code upn} in with {@code scopes} and redeems the code. */
	static TokenResponse signInAndRedeem(MicrosoftSandbox sandbox, Tenant tenant, AppRegistration app, String upn,
			String scopes) {
		String verifier = verifier();
		String redirectUri = app.redirectUris().get(0);
		AuthorizationRedirect redirect = sandbox.signIn(
				authorizeUrl(sandbox, tenant.id(), app, redirectUri, upn, verifier, scopes), upn, Consent.ACCEPT);
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", "authorization_code");
		form.put("client_id", app.clientId());
		form.put("client_secret", app.clientSecret());
		form.put("code", redirect.code());
		form.put("redirect_uri", redirectUri);
		form.put("code_verifier", verifier);
		form.put("scope", scopes);
		form.put("client_info", "1");
		return token(sandbox, tenant.id(), form);
	}

	/** A delegated SMTP.Send access token for {@code upn}. */
	static String accessToken(MicrosoftSandbox sandbox, Tenant tenant, AppRegistration app, String upn) {
		TokenResponse response = signInAndRedeem(sandbox, tenant, app, upn);
		if (response.status() != 200) {
			throw new IllegalStateException("No token: " + response.body());
		}
		return response.string("access_token");
	}

	static String verifier() {
		byte[] bytes = new byte[32];
		random.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	static String challenge(String verifier) {
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Angus Mail as for smtp.office365.com:587: STARTTLS required, XOAUTH2, host name checked. */
	static Session mailSession(MicrosoftSandbox sandbox) {
		Properties properties = new Properties();
		properties.put("mail.smtp.host", sandbox.smtpHost());
		properties.put("mail.smtp.port", String.valueOf(sandbox.smtpPort()));
		properties.put("mail.smtp.auth", "true");
		properties.put("mail.smtp.auth.mechanisms", "XOAUTH2");
		properties.put("mail.smtp.starttls.enable", "true");
		properties.put("mail.smtp.starttls.required", "true");
		properties.put("mail.smtp.ssl.socketFactory", sandbox.tls().sslSocketFactory());
		properties.put("mail.smtp.ssl.checkserveridentity", "true");
		properties.put("mail.smtp.connectiontimeout", "5000");
		properties.put("mail.smtp.timeout", "10000");
		properties.put("mail.smtp.writetimeout", "10000");
		return Session.getInstance(properties);
	}

	static SMTPTransport connect(MicrosoftSandbox sandbox, String mailbox, String accessToken) throws MessagingException {
		SMTPTransport transport = (SMTPTransport) mailSession(sandbox).getTransport("smtp");
		transport.connect(sandbox.smtpHost(), sandbox.smtpPort(), mailbox, accessToken);
		return transport;
	}

	static MimeMessage message(SMTPTransport transport, String from, String to, String subject)
			throws MessagingException {
		MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
		message.setFrom(new InternetAddress(from));
		message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
		message.setSubject(subject, "UTF-8");
		message.setText("Hello from Mailroom's tests.", "UTF-8");
		message.saveChanges();
		return message;
	}

	static void send(SMTPTransport transport, MimeMessage message) throws MessagingException {
		transport.sendMessage(message, message.getAllRecipients());
	}

	/** Every message in an exception's chain, to find a reply line wherever Angus put it. */
	static String chain(Throwable failure) {
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = (cause instanceof MessagingException messaging
				&& messaging.getNextException() != null) ? messaging.getNextException() : cause.getCause()) {
			messages.append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage()).append('\n');
			if (cause.getCause() == cause) {
				break;
			}
		}
		return messages.toString();
	}

}
