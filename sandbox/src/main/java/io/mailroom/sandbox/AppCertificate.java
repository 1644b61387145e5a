package io.mailroom.sandbox;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/**
 * A certificate uploaded to an app registration, known by its thumbprints: {@code x5t} (SHA-1) and
 * {@code x5t#S256} (SHA-256) of a client assertion name it.
 */
record AppCertificate(X509Certificate certificate, String thumbprint, String x5t, String x5tS256) {

	static AppCertificate of(X509Certificate certificate) {
		try {
			byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded());
			byte[] sha256 = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
			return new AppCertificate(certificate, HexFormat.of().withUpperCase().formatHex(sha1),
					SigningKey.base64Url(sha1), SigningKey.base64Url(sha256));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalArgumentException("Not a certificate", ex);
		}
	}

	/** Whether a header's thumbprint names this certificate; base64url per RFC 7515, or base64 as MSAL4J writes it. */
	boolean matches(String sha1, String sha256) {
		return (sha256 != null && normalize(sha256).equals(this.x5tS256)) || (sha1 != null && normalize(sha1).equals(this.x5t));
	}

	private static String normalize(String thumbprint) {
		return thumbprint.replace('+', '-').replace('/', '_').replace("=", "");
	}

}
