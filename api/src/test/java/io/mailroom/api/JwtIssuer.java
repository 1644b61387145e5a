package io.mailroom.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * The product's identity provider, for tests: signs JWTs with a key whose public half the api is told
 * about through {@code spring.security.oauth2.resourceserver.jwt.public-key-location}, for the audience
 * {@link #AUDIENCE}, with Mailroom's role names in the {@code roles} claim.
 */
final class JwtIssuer {

	/** The audience the test api requires ({@code spring.security.oauth2.resourceserver.jwt.audiences}). */
	static final String AUDIENCE = "mailroom-api";

	static final String ADMIN = "mailroom-admin";

	static final String OPERATOR = "mailroom-operator";

	private final KeyPair keys;

	private final Path publicKey;

	JwtIssuer() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			this.keys = generator.generateKeyPair();
			this.publicKey = Files.createTempFile("mailroom-test-jwt", ".pem");
			Files.writeString(publicKey, "-----BEGIN PUBLIC KEY-----\n"
					+ Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(keys.getPublic().getEncoded())
					+ "\n-----END PUBLIC KEY-----\n");
			publicKey.toFile().deleteOnExit();
		}
		catch (NoSuchAlgorithmException | IOException ex) {
			throw new IllegalStateException("Could not make the test JWT key", ex);
		}
	}

	/** The public key as a Spring resource location. */
	String publicKeyLocation() {
		return publicKey.toUri().toString();
	}

	/** A token of an admin of {@code account}. */
	String tokenFor(String account, String user) {
		return tokenFor(account, user, ADMIN);
	}

	/** A token of {@code user} of {@code account} with these roles. */
	String tokenFor(String account, String user, String... roles) {
		return sign(Map.of("account_id", account, "preferred_username", user, "sub", "sub-" + user, "roles",
				java.util.List.of(roles)), Instant.now().plusSeconds(3600), keys);
	}

	/** A token with these claims, for Mailroom's audience unless they name another. */
	String token(Map<String, Object> claims, Instant expiresAt) {
		return sign(claims, expiresAt, keys);
	}

	/** A token signed with another key: not ours. */
	String forgedTokenFor(String account) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			return sign(Map.of("account_id", account, "sub", "mallory"), Instant.now().plusSeconds(3600),
					generator.generateKeyPair());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String sign(Map<String, Object> claims, Instant expiresAt, KeyPair keys) {
		JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().issueTime(new Date())
			.expirationTime(Date.from(expiresAt))
			.audience(AUDIENCE);
		claims.forEach(builder::claim);
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), builder.build());
		try {
			jwt.sign(new RSASSASigner((RSAPrivateKey) keys.getPrivate()));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		return jwt.serialize();
	}

}
