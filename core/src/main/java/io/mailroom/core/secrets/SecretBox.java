package io.mailroom.core.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.stereotype.Component;

/**
 * Seals and opens secrets with AES-256-GCM.
 *
 * <p>Envelope: {@code 0x01 | key id length (1 byte) | key id (UTF-8) | 12-byte nonce | ciphertext+tag}.
 * The context is the GCM associated data: it is authenticated, not stored.
 */
@Component
public class SecretBox {

	private static final byte FORMAT = 1;

	private static final int NONCE_BYTES = 12;

	private static final int TAG_BITS = 128;

	private final Map<String, SecretKey> keys = new LinkedHashMap<>();

	private final String activeKey;

	private final SecureRandom random = new SecureRandom();

	public SecretBox(SecretsProperties properties) {
		if (properties.keys().isEmpty()) {
			throw new IllegalStateException("No key to seal secrets with: set mailroom.secrets.keys.<id> "
					+ "(MAILROOM_SECRETS_KEYS_<ID>, 32 random bytes base64) and mailroom.secrets.active-key");
		}
		properties.keys()
			.forEach((id, key) -> this.keys.put(id, new SecretKeySpec(Base64.getDecoder().decode(key), "AES")));
		this.activeKey = properties.activeKey();
	}

	/** Seals a secret for storage at {@code context}. */
	public byte[] seal(String plaintext, String context) {
		return seal(plaintext.getBytes(StandardCharsets.UTF_8), context);
	}

	/** Seals bytes for storage at {@code context}. */
	public byte[] seal(byte[] plaintext, String context) {
		byte[] keyId = activeKey.getBytes(StandardCharsets.UTF_8);
		byte[] nonce = new byte[NONCE_BYTES];
		random.nextBytes(nonce);
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, keys.get(activeKey), new GCMParameterSpec(TAG_BITS, nonce));
			cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
			byte[] ciphertext = cipher.doFinal(plaintext);
			return ByteBuffer.allocate(2 + keyId.length + NONCE_BYTES + ciphertext.length)
				.put(FORMAT)
				.put((byte) keyId.length)
				.put(keyId)
				.put(nonce)
				.put(ciphertext)
				.array();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-GCM is not available", ex);
		}
	}

	/** Seals a secret and remembers where it belongs. */
	public SealedSecret sealFor(String plaintext, String context) {
		return new SealedSecret(seal(plaintext, context), context);
	}

	/** Opens a stored secret. */
	public String open(SealedSecret secret) {
		return open(secret.envelope(), secret.context());
	}

	/** Opens a secret sealed for {@code context}. */
	public String open(byte[] envelope, String context) {
		return new String(openBytes(envelope, context), StandardCharsets.UTF_8);
	}

	/** Opens bytes sealed for {@code context}. */
	public byte[] openBytes(byte[] envelope, String context) {
		ByteBuffer buffer = ByteBuffer.wrap(envelope);
		String keyId = keyIdOf(envelope);
		SecretKey key = keys.get(keyId);
		if (key == null) {
			throw new SecretUnavailable("The key '" + keyId + "' that sealed a secret of " + context
					+ " is no longer configured: add it back to mailroom.secrets.keys");
		}
		buffer.position(2 + buffer.get(1));
		byte[] nonce = new byte[NONCE_BYTES];
		buffer.get(nonce);
		byte[] ciphertext = new byte[buffer.remaining()];
		buffer.get(ciphertext);
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
			cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
			return cipher.doFinal(ciphertext);
		}
		catch (javax.crypto.AEADBadTagException ex) {
			throw new SecretUnavailable("A sealed secret of " + context + " does not open: it was altered or "
					+ "belongs to another record");
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-GCM is not available", ex);
		}
	}

	/** The id of the key that sealed {@code envelope}. */
	public String keyIdOf(byte[] envelope) {
		if (envelope.length < 2 + NONCE_BYTES || envelope[0] != FORMAT || envelope.length < 2 + envelope[1]) {
			throw new SecretUnavailable("Not a sealed secret (unknown envelope format)");
		}
		return new String(envelope, 2, envelope[1], StandardCharsets.UTF_8);
	}

	/** The id of the key new secrets are sealed with; envelopes with another key id are due for re-sealing. */
	public String activeKeyId() {
		return activeKey;
	}

}
