package io.mailroom.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * A certificate credential for an app registration, made as an admin makes one: an RSA key pair and a
 * self-signed certificate. Upload {@link #certificate()} with {@link Directory#addCertificate}; give Mailroom
 * {@link #pem()} or {@link #pfx(char[])}.
 */
public record ClientCertificate(X509Certificate certificate, PrivateKey privateKey) {

	/** A new 2048-bit RSA certificate valid from now for {@code validity}. */
	public static ClientCertificate create(String subject, Duration validity) {
		return create(subject, Instant.now().minus(Duration.ofMinutes(5)), Instant.now().plus(validity));
	}

	/** A new 2048-bit RSA certificate with the given validity (an expired one too, for tests). */
	public static ClientCertificate create(String subject, Instant notBefore, Instant notAfter) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			KeyPair keys = generator.generateKeyPair();
			return new ClientCertificate(Certificates.selfSigned(keys, "CN=" + subject, notBefore, notAfter),
					keys.getPrivate());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Could not create a certificate", ex);
		}
	}

	/** The certificate and its unencrypted PKCS#8 private key, PEM-encoded, as {@code openssl} writes them. */
	public String pem() {
		try {
			return pem("CERTIFICATE", this.certificate.getEncoded()) + pem("PRIVATE KEY", this.privateKey.getEncoded());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The certificate alone, PEM-encoded (what is uploaded to the app registration). */
	public String certificatePem() {
		try {
			return pem("CERTIFICATE", this.certificate.getEncoded());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A PKCS#12 (.pfx) file with the key and certificate, protected by {@code password}. */
	public byte[] pfx(char[] password) {
		try {
			KeyStore store = KeyStore.getInstance("PKCS12");
			store.load(null, null);
			store.setKeyEntry("mailroom", this.privateKey, password, new Certificate[] { this.certificate });
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			store.store(out, password);
			return out.toByteArray();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der)
				+ "\n-----END " + type + "-----\n";
	}

	@Override
	public String toString() {
		return "ClientCertificate[" + this.certificate.getSubjectX500Principal() + "]";
	}

}
