package io.mailroom.api.authorization;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Random values of the flow: states and PKCE verifiers (RFC 7636), and their digests. */
final class Pkce {

	private static final SecureRandom RANDOM = new SecureRandom();

	private Pkce() {
	}

	/** 256 random bits, base64url without padding (43 characters, a valid PKCE verifier too). */
	static String randomValue() {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/** The S256 code challenge of a verifier. */
	static String challenge(String verifier) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(verifier));
	}

	/** How a state is stored: its SHA-256, hex. */
	static String stateHash(String state) {
		return HexFormat.of().formatHex(sha256(state));
	}

	private static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

}
