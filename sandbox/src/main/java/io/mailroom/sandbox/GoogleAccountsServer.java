package io.mailroom.sandbox;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * accounts.google.com and oauth2.googleapis.com over HTTPS: the authorization endpoint ({@code /o/oauth2/v2/auth}
 * with its consent page) and the token endpoint ({@code /token}: authorization code with PKCE, refresh token, JWT
 * bearer for service accounts), answering with Google's JSON and error values.
 */
final class GoogleAccountsServer implements AutoCloseable {

	private static final Logger LOG = LoggerFactory.getLogger(GoogleAccountsServer.class);

	static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

	/** Signs id tokens; nobody checks them (Google's library reads the token endpoint's id token without checking). */
	private static final KeyPair ID_TOKEN_KEY = GoogleWorkspace.rsaKeys();

	private final HttpEndpoint server;

	private final GoogleWorkspace workspace;

	private final String baseUrl;

	/** Issued authorization codes, single use. */
	private final Map<String, Code> codes = new ConcurrentHashMap<>();

	private record Code(String clientId, String redirectUri, String account, Set<String> scopes, String challenge,
			String challengeMethod, boolean offline) {
	}

	GoogleAccountsServer(String hostName, InetAddress bindAddress, int port, SandboxTls tls, GoogleWorkspace workspace)
			throws IOException {
		this.workspace = workspace;
		this.server = HttpEndpoint.https(bindAddress, port, tls, "sandbox-google-", this::handle);
		this.baseUrl = this.server.httpsUrl(hostName);
	}

	void start() {
		this.server.start();
	}

	String baseUrl() {
		return this.baseUrl;
	}

	String authorizationUri() {
		return this.baseUrl + "/o/oauth2/v2/auth";
	}

	String tokenUri() {
		return this.baseUrl + "/token";
	}

	@Override
	public void close() {
		this.server.close();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try {
			String path = exchange.getRequestURI().getPath();
			String method = exchange.getRequestMethod();
			if (path.equals("/o/oauth2/v2/auth") && method.equals("GET")) {
				authorize(exchange);
			}
			else if (path.equals("/o/oauth2/v2/auth/consent") && method.equals("POST")) {
				consent(exchange);
			}
			else if (path.equals("/token") && method.equals("POST")) {
				token(exchange);
			}
			else {
				Http.json(exchange, 404, Map.of("error", "not_found"));
			}
		}
		catch (RuntimeException ex) {
			LOG.warn("Google request {} failed", exchange.getRequestURI().getPath(), ex);
			Http.json(exchange, 500, Map.of("error", "internal_failure", "error_description", String.valueOf(ex)));
		}
		finally {
			exchange.close();
		}
	}

	/** The consent page, or Google's error page for a request it cannot send back to the app. */
	private void authorize(HttpExchange exchange) throws IOException {
		Map<String, String> query = Http.query(exchange);
		if (refused(exchange, query)) {
			return;
		}
		StringBuilder hidden = new StringBuilder();
		for (Map.Entry<String, String> entry : query.entrySet()) {
			hidden.append("<input type=\"hidden\" name=\"").append(Http.escape(entry.getKey())).append("\" value=\"")
				.append(Http.escape(entry.getValue())).append("\">\n");
		}
		String hint = query.getOrDefault("login_hint", "");
		Http.html(exchange, 200, """
				<!DOCTYPE html><html><head><title>Sign in - Google Accounts (stand-in)</title></head><body>
				<h1>Sign in with Google (stand-in)</h1>
				<p>The app wants to read, compose, send and permanently delete all your email from Gmail
				(https://mail.google.com/).</p>
				<form method="post" action="/o/oauth2/v2/auth/consent">
				%s<label>Account <input name="login" value="%s"></label>
				<button name="decision" value="accept">Allow</button>
				<button name="decision" value="cancel">Cancel</button>
				</form></body></html>""".formatted(hidden, Http.escape(hint)));
	}

	/** Google checks the request again when consent is given, since the form comes back from the browser. */
	private boolean refused(HttpExchange exchange, Map<String, String> request) throws IOException {
		String refusal = refusal(request);
		if (refusal == null) {
			return false;
		}
		String[] error = refusal.split(":", 2);
		errorPage(exchange, 400, error[0], error[1]);
		return true;
	}

	private String refusal(Map<String, String> query) {
		GoogleWorkspace.OAuthClient client = this.workspace.client(query.get("client_id")).orElse(null);
		if (client == null) {
			return "invalid_client:The OAuth client was not found.";
		}
		if (!client.redirectUris().contains(query.get("redirect_uri"))) {
			return "redirect_uri_mismatch:You can't sign in to this app because it doesn't comply with Google's "
					+ "OAuth 2.0 policy. If you're the app developer, register the redirect URI in the Google Cloud "
					+ "Console. Request details: redirect_uri=" + query.get("redirect_uri");
		}
		if (!"code".equals(query.get("response_type"))) {
			return "unsupported_response_type:Invalid response_type: " + query.get("response_type");
		}
		if (query.containsKey("approval_prompt") && query.containsKey("prompt")) {
			return "invalid_request:Conflict params: approval_prompt and prompt";
		}
		String scope = query.getOrDefault("scope", "");
		if (scope.isBlank()) {
			return "invalid_request:Missing required parameter: scope";
		}
		String method = query.getOrDefault("code_challenge_method", "plain");
		if (query.containsKey("code_challenge") && !method.equals("S256") && !method.equals("plain")) {
			return "invalid_request:Invalid code_challenge_method";
		}
		return null;
	}

	private void consent(HttpExchange exchange) throws IOException {
		Map<String, String> form = Http.form(exchange);
		if (refused(exchange, form)) {
			return;
		}
		GoogleWorkspace.OAuthClient client = this.workspace.client(form.get("client_id")).orElseThrow();
		String account = GoogleWorkspace.normalize(form.get("login"));
		String redirect = form.get("redirect_uri");
		Map<String, String> back = new LinkedHashMap<>();
		if (!"accept".equals(form.get("decision"))) {
			back.put("error", "access_denied");
			putState(back, form);
			Http.redirect(exchange, 302, redirect + "?" + Http.encode(back));
			return;
		}
		if (!this.workspace.hasUser(account)) {
			errorPage(exchange, 400, "account_not_found", "Couldn't find your Google Account");
			return;
		}
		if (client.userType() == GoogleWorkspace.UserType.INTERNAL
				&& !GoogleWorkspace.domainOf(account).equals(client.domain())) {
			errorPage(exchange, 403, "org_internal", "This client is restricted to users within its organization.");
			return;
		}
		if (client.userType() == GoogleWorkspace.UserType.EXTERNAL
				&& client.status() == GoogleWorkspace.PublishingStatus.TESTING && !client.testUsers().contains(account)) {
			errorPage(exchange, 403, "access_denied", "The app has not completed the Google verification process. "
					+ "The app is currently being tested, and can only be accessed by developer-approved testers.");
			return;
		}
		String code = "4/0" + GoogleWorkspace.randomToken(40);
		this.codes.put(code, new Code(client.clientId(), redirect, account, scopes(form.get("scope")),
				form.get("code_challenge"), form.getOrDefault("code_challenge_method", "plain"),
				"offline".equals(form.get("access_type"))));
		back.put("code", code);
		back.put("scope", form.get("scope"));
		putState(back, form);
		Http.redirect(exchange, 302, redirect + "?" + Http.encode(back));
	}

	private static void putState(Map<String, String> back, Map<String, String> form) {
		if (form.get("state") != null) {
			back.put("state", form.get("state"));
		}
	}

	private void errorPage(HttpExchange exchange, int status, String error, String text) throws IOException {
		Http.html(exchange, status, "<!DOCTYPE html><html><body><h1>Access blocked</h1>"
				+ "<div id=\"google-error\" data-error=\"" + Http.escape(error) + "\">" + Http.escape(text)
				+ "</div><p>Error " + status + ": " + Http.escape(error) + "</p></body></html>");
	}

	private void token(HttpExchange exchange) throws IOException {
		Map<String, String> form = Http.form(exchange);
		String grantType = form.getOrDefault("grant_type", "");
		this.workspace.countTokenRequest(grantType);
		switch (grantType) {
			case "authorization_code" -> redeem(exchange, form);
			case "refresh_token" -> refresh(exchange, form);
			case JWT_BEARER -> jwtBearer(exchange, form);
			default -> error(exchange, 400, "unsupported_grant_type", "Invalid grant_type: " + grantType);
		}
	}

	private GoogleWorkspace.OAuthClient authenticatedClient(HttpExchange exchange, Map<String, String> form)
			throws IOException {
		String clientId = form.get("client_id");
		String secret = form.get("client_secret");
		String basic = exchange.getRequestHeaders().getFirst("Authorization");
		if (basic != null && basic.startsWith("Basic ")) {
			String[] pair = new String(Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8).split(":", 2);
			clientId = pair[0];
			secret = pair.length > 1 ? pair[1] : null;
		}
		GoogleWorkspace.OAuthClient client = this.workspace.client(clientId).orElse(null);
		if (client == null || !client.clientSecret().equals(secret)) {
			error(exchange, 401, "invalid_client", client == null ? "The OAuth client was not found." : "Unauthorized");
			return null;
		}
		return client;
	}

	private void redeem(HttpExchange exchange, Map<String, String> form) throws IOException {
		GoogleWorkspace.OAuthClient client = authenticatedClient(exchange, form);
		if (client == null) {
			return;
		}
		Code code = this.codes.remove(form.getOrDefault("code", ""));
		if (code == null || !code.clientId().equals(client.clientId())) {
			error(exchange, 400, "invalid_grant", "Malformed auth code.");
			return;
		}
		if (!code.redirectUri().equals(form.get("redirect_uri"))) {
			error(exchange, 400, "redirect_uri_mismatch", "Bad Request");
			return;
		}
		if (code.challenge() != null && !code.challenge().equals(challenge(form.get("code_verifier"), code.challengeMethod()))) {
			error(exchange, 400, "invalid_grant", "Invalid code verifier.");
			return;
		}
		GoogleWorkspace.Token token = this.workspace.issue(code.account(), code.scopes(), false);
		Map<String, Object> body = tokenBody(token, code.scopes());
		if (code.offline()) {
			body.put("refresh_token", this.workspace.grant(client.clientId(), code.account(), code.scopes()).refreshToken());
		}
		if (code.scopes().contains("openid")) {
			body.put("id_token", idToken(client.clientId(), code.account()));
		}
		Http.tokenJson(exchange, 200, body);
	}

	private void refresh(HttpExchange exchange, Map<String, String> form) throws IOException {
		GoogleWorkspace.OAuthClient client = authenticatedClient(exchange, form);
		if (client == null) {
			return;
		}
		GoogleWorkspace.Grant grant = this.workspace.liveGrant(form.get("refresh_token"), client.clientId()).orElse(null);
		if (grant == null) {
			error(exchange, 400, "invalid_grant", "Token has been expired or revoked.");
			return;
		}
		GoogleWorkspace.Token token = this.workspace.issue(grant.account(), grant.scopes(), false);
		Map<String, Object> body = tokenBody(token, grant.scopes());
		if (grant.scopes().contains("openid")) {
			body.put("id_token", idToken(client.clientId(), grant.account()));
		}
		Http.tokenJson(exchange, 200, body);
	}

	/** RFC 7523 with Google's claims: iss = the service account, aud = this endpoint, scope, sub = the user. */
	private void jwtBearer(HttpExchange exchange, Map<String, String> form) throws IOException {
		String[] parts = form.getOrDefault("assertion", "").split("\\.");
		if (parts.length != 3) {
			error(exchange, 400, "invalid_grant", "Invalid JWT: Token must be a short-lived token and in a reasonable timeframe.");
			return;
		}
		Map<String, Object> header = json(parts[0]);
		Map<String, Object> claims = json(parts[1]);
		GoogleWorkspace.ServiceAccount account = this.workspace.serviceAccount(String.valueOf(claims.get("iss"))).orElse(null);
		if (account == null || !account.privateKeyId().equals(header.get("kid"))
				|| !verifies(account, parts[0] + "." + parts[1], parts[2])) {
			error(exchange, 400, "invalid_grant", "Invalid JWT Signature.");
			return;
		}
		long now = this.workspace.realNow().getEpochSecond();
		long exp = ((Number) claims.getOrDefault("exp", 0)).longValue();
		// Google's library always writes Google's own token URI as the audience, wherever it sends the assertion
		Object audience = claims.get("aud");
		if (!tokenUri().equals(audience) && !"https://oauth2.googleapis.com/token".equals(audience) || exp < now || exp > now + 3600 + 300) {
			error(exchange, 400, "invalid_grant", "Invalid JWT: Token must be a short-lived token (60 minutes) and in a "
					+ "reasonable timeframe. Check your iat and exp values in the JWT claim.");
			return;
		}
		Set<String> scopes = scopes(String.valueOf(claims.getOrDefault("scope", "")));
		Object sub = claims.get("sub");
		if (sub == null) {
			// the service account itself: not what Gmail accepts, but a token all the same
			Http.tokenJson(exchange, 200, tokenBody(this.workspace.issue(account.clientEmail(), scopes, true), scopes));
			return;
		}
		if (!this.workspace.hasUser(String.valueOf(sub))) {
			error(exchange, 400, "invalid_grant", "Invalid email or User ID");
			return;
		}
		if (!this.workspace.delegated(String.valueOf(sub), account.clientId(), scopes)) {
			error(exchange, 401, "unauthorized_client", "Client is unauthorized to retrieve access tokens using this "
					+ "method, or client not authorized for any of the scopes requested.");
			return;
		}
		Http.tokenJson(exchange, 200, tokenBody(this.workspace.issue(String.valueOf(sub), scopes, true), scopes));
	}

	private static boolean verifies(GoogleWorkspace.ServiceAccount account, String signed, String signature) {
		try {
			Signature rsa = Signature.getInstance("SHA256withRSA");
			rsa.initVerify(account.publicKey());
			rsa.update(signed.getBytes(StandardCharsets.US_ASCII));
			return rsa.verify(Base64.getUrlDecoder().decode(signature));
		}
		catch (GeneralSecurityException | IllegalArgumentException ex) {
			return false;
		}
	}

	private static Map<String, Object> tokenBody(GoogleWorkspace.Token token, Set<String> scopes) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("access_token", token.value());
		body.put("expires_in", 3599);
		body.put("scope", String.join(" ", scopes));
		body.put("token_type", "Bearer");
		return body;
	}

	private String idToken(String clientId, String account) {
		Map<String, Object> header = Map.of("alg", "RS256", "kid", "stand-in", "typ", "JWT");
		long now = this.workspace.now().getEpochSecond();
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("iss", "https://accounts.google.com");
		claims.put("azp", clientId);
		claims.put("aud", clientId);
		claims.put("sub", String.valueOf(Math.abs(account.hashCode())));
		claims.put("email", account);
		claims.put("email_verified", true);
		claims.put("iat", now);
		claims.put("exp", now + 3600);
		String signed = base64Url(Json.write(header)) + "." + base64Url(Json.write(claims));
		try {
			Signature rsa = Signature.getInstance("SHA256withRSA");
			rsa.initSign(ID_TOKEN_KEY.getPrivate());
			rsa.update(signed.getBytes(StandardCharsets.US_ASCII));
			return signed + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String challenge(String verifier, String method) {
		if (verifier == null) {
			return null;
		}
		if (method.equals("plain")) {
			return verifier;
		}
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Set<String> scopes(String scope) {
		return new LinkedHashSet<>(Arrays.asList(scope.trim().split("\\s+")));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> json(String base64Url) {
		try {
			return Json.mapper.readValue(Base64.getUrlDecoder().decode(base64Url), HashMap.class);
		}
		catch (RuntimeException ex) {
			return Map.of();
		}
	}

	private static String base64Url(String text) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
	}

	private static void error(HttpExchange exchange, int status, String error, String description) throws IOException {
		Http.tokenJson(exchange, status, Map.of("error", error, "error_description", description));
	}

}
