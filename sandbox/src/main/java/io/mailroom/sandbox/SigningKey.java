package io.mailroom.sandbox;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The RSA key that signs id tokens (RS256), published as a JWK at {@code /{tenant}/discovery/v2.0/keys}
 * like Entra's signing keys: {@code kid} and {@code x5t} are the certificate's SHA-1 thumbprint.
 * Generated once per JVM, on first use, because RSA key generation is slow.
 */
final class SigningKey {

	private static volatile SigningKey instance;

	private final KeyPair keys;

	private final X509Certificate certificate;

	private final String keyId;

	private SigningKey() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			this.keys = generator.generateKeyPair();
			this.certificate = Certificates.selfSignedForSigning(this.keys);
			this.keyId = base64Url(MessageDigest.getInstance("SHA-1").digest(this.certificate.getEncoded()));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Could not create the id token signing key", ex);
		}
	}

	static SigningKey get() {
		SigningKey key = instance;
		if (key == null) {
			synchronized (SigningKey.class) {
				key = instance;
				if (key == null) {
					key = new SigningKey();
					instance = key;
				}
			}
		}
		return key;
	}

	/** A compact JWS of the claims, RS256. */
	String sign(Map<String, Object> claims) {
		Map<String, Object> header = new LinkedHashMap<>();
		header.put("typ", "JWT");
		header.put("alg", "RS256");
		header.put("kid", this.keyId);
		String signingInput = base64Url(Json.write(header).getBytes(StandardCharsets.UTF_8)) + "."
				+ base64Url(Json.write(claims).getBytes(StandardCharsets.UTF_8));
		try {
			Signature signature = Signature.getInstance("SHA256withRSA");
			signature.initSign(this.keys.getPrivate());
			signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
			return signingInput + "." + base64Url(signature.sign());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Could not sign an id token", ex);
		}
	}

	/**
	 * A compact JWS of access token claims, ES256 with a key of its own. INVENTED: Entra signs access tokens
	 * RS256; a P-256 signature keeps the XOAUTH2 line under the 998 characters SubEthaSMTP reads (Exchange
	 * takes longer ones). Clients must not check access token signatures anyway.
	 */
	String signAccessToken(Map<String, Object> claims) {
		String signingInput = base64Url("{\"typ\":\"JWT\",\"alg\":\"ES256\"}".getBytes(StandardCharsets.UTF_8)) + "."
				+ base64Url(Json.write(claims).getBytes(StandardCharsets.UTF_8));
		try {
			Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
			signature.initSign(AccessTokenKey.KEYS.getPrivate());
			signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
			return signingInput + "." + base64Url(signature.sign());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Could not sign an access token", ex);
		}
	}

	/** The access tokens' P-256 key, made on first use (quick, unlike RSA). */
	private static final class AccessTokenKey {

		static final KeyPair KEYS;

		static {
			try {
				KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
				generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
				KEYS = generator.generateKeyPair();
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

	/** The JSON Web Key Set document. */
	Map<String, Object> jwks(String issuer) {
		RSAPublicKey publicKey = (RSAPublicKey) this.keys.getPublic();
		Map<String, Object> key = new LinkedHashMap<>();
		key.put("kty", "RSA");
		key.put("use", "sig");
		key.put("kid", this.keyId);
		key.put("x5t", this.keyId);
		key.put("n", base64Url(unsigned(publicKey.getModulus())));
		key.put("e", base64Url(unsigned(publicKey.getPublicExponent())));
		try {
			key.put("x5c", List.of(Base64.getEncoder().encodeToString(this.certificate.getEncoded())));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
		key.put("issuer", issuer);
		return Map.of("keys", List.of(key));
	}

	static String base64Url(byte[] bytes) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private static byte[] unsigned(BigInteger value) {
		byte[] bytes = value.toByteArray();
		return (bytes.length > 1 && bytes[0] == 0) ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
	}

}
