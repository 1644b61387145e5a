package io.mailroom.sandbox;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Google's side of the stand-in as data: Workspace users, OAuth clients (with their consent screen's user type and
 * publishing status), service accounts and the domain-wide delegations a Workspace admin granted them, the grants
 * and tokens issued, Gmail's per-user daily counts, and the scenarios tests switch on. Thread-safe.
 */
public final class GoogleWorkspace {

	/** Gmail's scope for SMTP, IMAP and POP. */
	public static final String MAIL_SCOPE = "https://mail.google.com/";

	/** Refresh tokens of External apps in Testing end after 7 days (Google's documented rule). */
	static final Duration TESTING_GRANT_LIFETIME = Duration.ofDays(7);

	/** Workspace's daily sending limit per user, over a rolling 24 hours. */
	public static final int WORKSPACE_DAILY_LIMIT = 2_000;

	/** Who may use an OAuth client: the consent screen's user type. */
	public enum UserType {
		/** Only the accounts of the client's own Workspace organization. */
		INTERNAL,
		/** Any Google account (while Testing: only its test users). */
		EXTERNAL
	}

	/** The consent screen's publishing status. */
	public enum PublishingStatus {
		TESTING, IN_PRODUCTION
	}

	/** An OAuth client of type Web application. */
	public record OAuthClient(String clientId, String clientSecret, String domain, List<String> redirectUris,
			UserType userType, PublishingStatus status, Set<String> testUsers) {
	}

	/** A service account with one JSON key. */
	public record ServiceAccount(String clientEmail, String clientId, String privateKeyId, KeyPair keys,
			String jsonKey) {

		PublicKey publicKey() {
			return keys.getPublic();
		}

		@Override
		public String toString() {
			return "ServiceAccount[" + clientEmail + "]";
		}

	}

	/** A user grant: a refresh token for a client and an account. */
	record Grant(String refreshToken, String clientId, String account, Set<String> scopes, Instant issuedAt) {
	}

	/** An access token issued by the token endpoint. */
	record Token(String value, String account, Set<String> scopes, Instant expiresAt, boolean serviceAccount) {
	}

	private final Clock baseClock;

	private volatile Duration elapsed = Duration.ZERO;

	private final Set<String> users = ConcurrentHashMap.newKeySet();

	private final Map<String, OAuthClient> clients = new ConcurrentHashMap<>();

	private final Map<String, ServiceAccount> serviceAccounts = new ConcurrentHashMap<>();

	/** Domain → client IDs of service accounts allowed, with the scopes allowed. */
	private final Map<String, Map<String, Set<String>>> delegations = new ConcurrentHashMap<>();

	private final Map<String, Grant> grants = new ConcurrentHashMap<>();

	private final Map<String, Token> tokens = new ConcurrentHashMap<>();

	private final Map<String, Integer> dailyLimits = new ConcurrentHashMap<>();

	private final Map<String, List<Instant>> sent = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> tokenRequests = new ConcurrentHashMap<>();

	private final AtomicInteger tryAgainLater = new AtomicInteger();

	private final Set<String> tooManyLogins = ConcurrentHashMap.newKeySet();

	private final List<String> refusedAuthentications = new CopyOnWriteArrayList<>();

	GoogleWorkspace(Clock clock) {
		this.baseClock = clock;
	}

	/** The stand-in's time: the real clock plus what {@link #elapse} added. */
	Instant now() {
		return this.baseClock.instant().plus(this.elapsed);
	}

	/** The real time, for what clients stamp themselves (a JWT's iat and exp). */
	Instant realNow() {
		return this.baseClock.instant();
	}

	/** Lets time pass for Google (tokens and 7-day Testing grants expire, daily counts roll off). */
	public void elapse(Duration duration) {
		this.elapsed = this.elapsed.plus(duration);
	}

	/** A Workspace user (a Gmail mailbox). */
	public void createUser(String address) {
		this.users.add(normalize(address));
	}

	public boolean hasUser(String address) {
		return this.users.contains(normalize(address));
	}

	/** An OAuth client of the Workspace of {@code domain}, with a Web application's redirect URIs. */
	public OAuthClient registerClient(String domain, UserType userType, PublishingStatus status, String... redirectUris) {
		String clientId = Math.abs(ThreadLocalRandom.current().nextLong() % 1_000_000_000_000L) + "-"
				+ randomToken(16).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "a") + ".apps.googleusercontent.com";
		return registerClient(clientId, "GOCSPX-" + randomToken(21), domain, userType, status, redirectUris);
	}

	/** An OAuth client with a given ID and secret (the local run's demo organization keeps them across runs). */
	public OAuthClient registerClient(String clientId, String clientSecret, String domain, UserType userType,
			PublishingStatus status, String... redirectUris) {
		OAuthClient client = new OAuthClient(clientId, clientSecret, normalize(domain), List.of(redirectUris), userType,
				status, ConcurrentHashMap.newKeySet());
		this.clients.put(clientId, client);
		return client;
	}

	/** Adds a test user to an External client in Testing (others get Error 403: access_denied). */
	public void addTestUser(OAuthClient client, String address) {
		client.testUsers().add(normalize(address));
	}

	/** A service account of a Google Cloud project, with a new JSON key whose token_uri is {@code tokenUri}. */
	ServiceAccount createServiceAccount(String project, String name, String tokenUri) {
		KeyPair keys = rsaKeys();
		String clientId = String.valueOf(100_000_000_000_000_000L + ThreadLocalRandom.current().nextLong(1L << 52));
		String email = name + "@" + project + ".iam.gserviceaccount.com";
		String keyId = java.util.HexFormat.of().formatHex(randomBytes(20));
		String pem = "-----BEGIN PRIVATE KEY-----\n"
				+ Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(keys.getPrivate().getEncoded())
				+ "\n-----END PRIVATE KEY-----\n";
		Map<String, String> json = new LinkedHashMap<>();
		json.put("type", "service_account");
		json.put("project_id", project);
		json.put("private_key_id", keyId);
		json.put("private_key", pem);
		json.put("client_email", email);
		json.put("client_id", clientId);
		json.put("auth_uri", "https://accounts.google.com/o/oauth2/auth");
		json.put("token_uri", tokenUri);
		json.put("universe_domain", "googleapis.com");
		ServiceAccount account = new ServiceAccount(email, clientId, keyId, keys, Json.write(json));
		this.serviceAccounts.put(email, account);
		return account;
	}

	/** A service account whose JSON key was made earlier (a local run keeps its demo key across restarts). */
	ServiceAccount importServiceAccount(String jsonKey) {
		@SuppressWarnings("unchecked")
		Map<String, String> json = Json.mapper.readValue(jsonKey, Map.class);
		try {
			byte[] der = Base64.getMimeDecoder().decode(json.get("private_key")
				.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", ""));
			java.security.KeyFactory factory = java.security.KeyFactory.getInstance("RSA");
			java.security.interfaces.RSAPrivateCrtKey key = (java.security.interfaces.RSAPrivateCrtKey) factory
				.generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(der));
			PublicKey publicKey = factory.generatePublic(new java.security.spec.RSAPublicKeySpec(key.getModulus(),
					key.getPublicExponent()));
			ServiceAccount account = new ServiceAccount(json.get("client_email"), json.get("client_id"),
					json.get("private_key_id"), new KeyPair(publicKey, key), jsonKey);
			this.serviceAccounts.put(account.clientEmail(), account);
			return account;
		}
		catch (java.security.GeneralSecurityException ex) {
			throw new IllegalArgumentException("Not a service account key the stand-in made", ex);
		}
	}

	/** What a Workspace super admin does under Manage Domain Wide Delegation: allow a client ID these scopes. */
	public void allowDomainWideDelegation(String domain, String clientId, String... scopes) {
		this.delegations.computeIfAbsent(normalize(domain), (d) -> new ConcurrentHashMap<>())
			.put(clientId, Set.of(scopes));
	}

	/** Removes a client ID from the domain's delegations. */
	public void removeDomainWideDelegation(String domain, String clientId) {
		this.delegations.getOrDefault(normalize(domain), Map.of()).remove(clientId);
	}

	/** Revokes every grant of the account (the user removed the app's access, or changed the password). */
	public void revokeGrants(String account) {
		String who = normalize(account);
		this.grants.values().removeIf((grant) -> grant.account().equals(who));
		// Google revokes the access tokens of a revoked grant with it
		this.tokens.values().removeIf((token) -> token.account().equals(who) && !token.serviceAccount());
	}

	/** Sets the account's daily sending limit (2,000 for Workspace; 500 for trials). */
	public void dailyLimit(String account, int limit) {
		this.dailyLimits.put(normalize(account), limit);
	}

	/** Forgets what the account sent (the rolling 24 hours passed). */
	public void resetDailyCount(String account) {
		this.sent.remove(normalize(account));
	}

	/** The next {@code n} MAIL FROM get {@code 421-4.7.0 Try again later, closing connection.} */
	public void tryAgainLater(int n) {
		this.tryAgainLater.set(n);
	}

	/** AUTH as the account gets {@code 454-4.7.0 Too many login attempts} until cleared. */
	public void tooManyLogins(String account, boolean on) {
		if (on) {
			this.tooManyLogins.add(normalize(account));
		}
		else {
			this.tooManyLogins.remove(normalize(account));
		}
	}

	/** How many token requests of a grant type ({@code authorization_code}, {@code refresh_token}, JWT bearer). */
	public int tokenRequests(String grantType) {
		AtomicInteger count = this.tokenRequests.get(grantType);
		return count == null ? 0 : count.get();
	}

	/** The mailboxes whose XOAUTH2 Gmail refused, in order. */
	public List<String> refusedAuthentications() {
		return List.copyOf(this.refusedAuthentications);
	}

	Optional<OAuthClient> client(String clientId) {
		return Optional.ofNullable(clientId).map(this.clients::get);
	}

	Optional<ServiceAccount> serviceAccount(String clientEmail) {
		return Optional.ofNullable(clientEmail).map(this.serviceAccounts::get);
	}

	boolean delegated(String account, String clientId, Set<String> scopes) {
		String domain = domainOf(account);
		Set<String> allowed = this.delegations.getOrDefault(domain, Map.of()).get(clientId);
		return allowed != null && allowed.containsAll(scopes);
	}

	void countTokenRequest(String grantType) {
		this.tokenRequests.computeIfAbsent(grantType, (g) -> new AtomicInteger()).incrementAndGet();
	}

	Grant grant(String clientId, String account, Set<String> scopes) {
		Grant grant = new Grant("1//0" + randomToken(40), clientId, normalize(account), Set.copyOf(scopes), now());
		this.grants.put(grant.refreshToken(), grant);
		return grant;
	}

	/** A grant that still works: not revoked, and not past 7 days for an External client in Testing. */
	Optional<Grant> liveGrant(String refreshToken, String clientId) {
		Grant grant = refreshToken == null ? null : this.grants.get(refreshToken);
		if (grant == null || !grant.clientId().equals(clientId)) {
			return Optional.empty();
		}
		OAuthClient client = this.clients.get(clientId);
		if (client != null && client.userType() == UserType.EXTERNAL && client.status() == PublishingStatus.TESTING
				&& !now().isBefore(grant.issuedAt().plus(TESTING_GRANT_LIFETIME))) {
			return Optional.empty();
		}
		return Optional.of(grant);
	}

	Token issue(String account, Set<String> scopes, boolean serviceAccount) {
		Token token = new Token("ya29." + randomToken(60), normalize(account), Set.copyOf(scopes),
				now().plus(Duration.ofSeconds(3599)), serviceAccount);
		this.tokens.put(token.value(), token);
		return token;
	}

	/** A token that lets {@code account} use Gmail's SMTP now. */
	boolean mayUseSmtp(String accessToken, String account) {
		Token token = accessToken == null ? null : this.tokens.get(accessToken);
		return token != null && token.account().equals(normalize(account)) && token.scopes().contains(MAIL_SCOPE)
				&& now().isBefore(token.expiresAt());
	}

	void authenticationRefused(String account) {
		this.refusedAuthentications.add(normalize(account));
	}

	boolean tooManyLogins(String account) {
		return this.tooManyLogins.contains(normalize(account));
	}

	boolean takeTryAgainLater() {
		return this.tryAgainLater.getAndUpdate((n) -> Math.max(0, n - 1)) > 0;
	}

	/** Whether the account may send one more message within its rolling 24 hours. */
	boolean underDailyLimit(String account) {
		List<Instant> times = this.sent.computeIfAbsent(normalize(account), (a) -> new ArrayList<>());
		Instant since = now().minus(Duration.ofDays(1));
		synchronized (times) {
			times.removeIf((at) -> !at.isAfter(since));
			return times.size() < this.dailyLimits.getOrDefault(normalize(account), WORKSPACE_DAILY_LIMIT);
		}
	}

	void sentOne(String account) {
		List<Instant> times = this.sent.computeIfAbsent(normalize(account), (a) -> new ArrayList<>());
		synchronized (times) {
			times.add(now());
		}
	}

	static String normalize(String address) {
		return address == null ? "" : address.strip().toLowerCase(Locale.ROOT);
	}

	static String domainOf(String address) {
		String normalized = normalize(address);
		return normalized.substring(normalized.indexOf('@') + 1);
	}

	static String randomToken(int bytes) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(bytes));
	}

	private static byte[] randomBytes(int n) {
		byte[] bytes = new byte[n];
		ThreadLocalRandom.current().nextBytes(bytes);
		return bytes;
	}

	static KeyPair rsaKeys() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			return generator.generateKeyPair();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static String newId() {
		return UUID.randomUUID().toString();
	}

}
