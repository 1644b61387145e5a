package io.mailroom.core.tokens;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.mailroom.core.secrets.SecretBox;
import io.mailroom.core.services.ClientCertificate;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.services.SmtpServices;

/**
 * Certificate credentials: read from what an admin uploads (PEM with the certificate and an unencrypted
 * PKCS#8 key, or a PFX with its password), sealed for storage, and opened for MSAL4J.
 */
public final class ClientCertificates {

	private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

	private ClientCertificates() {
	}

	/** A certificate and its private key, open: keep it in local variables only. */
	public record Opened(PrivateKey privateKey, X509Certificate certificate) {

		@Override
		public String toString() {
			return "Opened[" + certificate.getSubjectX500Principal() + "]";
		}

	}

	/** Why an upload is no usable certificate credential, in words for the admin. */
	public static final class Unusable extends Exception {

		public Unusable(String message) {
			super(message, null, false, false);
		}

	}

	/** Reads a PEM upload: one CERTIFICATE and one PRIVATE KEY (PKCS#8, unencrypted) block. */
	public static Opened fromPem(String pem) throws Unusable {
		X509Certificate certificate = null;
		PrivateKey key = null;
		Matcher block = PEM.matcher(pem == null ? "" : pem);
		while (block.find()) {
			byte[] der = Base64.getMimeDecoder().decode(block.group(2));
			switch (block.group(1)) {
				case "CERTIFICATE" -> certificate = certificate == null ? certificate(der) : certificate;
				case "PRIVATE KEY" -> key = privateKey(der);
				case "RSA PRIVATE KEY" -> throw new Unusable("The private key is in the old PKCS#1 format: convert it "
						+ "with openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem, or upload a PFX.");
				case "ENCRYPTED PRIVATE KEY" -> throw new Unusable("The private key is encrypted: upload it "
						+ "unencrypted in PEM (openssl pkcs8 -topk8 -nocrypt), or as a PFX with its password.");
				default -> {
				}
			}
		}
		if (certificate == null) {
			throw new Unusable("The PEM has no CERTIFICATE block: paste the certificate and its private key.");
		}
		if (key == null) {
			throw new Unusable("The PEM has no PRIVATE KEY block: Mailroom needs the private key to sign with.");
		}
		return matching(key, certificate);
	}

	/** Reads a PKCS#12 (.pfx) upload with its password. */
	public static Opened fromPfx(byte[] pfx, char[] password) throws Unusable {
		try {
			KeyStore store = KeyStore.getInstance("PKCS12");
			store.load(new ByteArrayInputStream(pfx), password);
			for (String alias : Collections.list(store.aliases())) {
				if (store.isKeyEntry(alias)) {
					PrivateKey key = (PrivateKey) store.getKey(alias, password);
					return matching(key, (X509Certificate) store.getCertificate(alias));
				}
			}
			throw new Unusable("The PFX holds no private key: export the certificate with its private key.");
		}
		catch (IOException ex) {
			throw new Unusable("The PFX cannot be opened: check its password, or that it is a PKCS#12 (.pfx) file.");
		}
		catch (GeneralSecurityException | ClassCastException ex) {
			throw new Unusable("The PFX cannot be read: export it again as PKCS#12 with the private key.");
		}
	}

	/** Seals the key for the service and describes the certificate for storage. */
	public static ClientCertificate seal(Opened opened, java.util.UUID serviceId, SecretBox secrets) {
		String context = SmtpService.secretContext(serviceId, SmtpServices.CERTIFICATE_KEY);
		try {
			String pem = "-----BEGIN CERTIFICATE-----\n"
					+ Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(opened.certificate().getEncoded())
					+ "\n-----END CERTIFICATE-----\n";
			return new ClientCertificate(
					new io.mailroom.core.secrets.SealedSecret(secrets.seal(opened.privateKey().getEncoded(), context),
							context),
					pem, thumbprint(opened.certificate()), opened.certificate().getNotAfter().toInstant());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("A parsed certificate cannot be encoded", ex);
		}
	}

	/** Opens a stored certificate credential for MSAL4J. */
	public static Opened open(ClientCertificate stored, SecretBox secrets) {
		try {
			byte[] key = secrets.openBytes(stored.privateKey().envelope(), stored.privateKey().context());
			Matcher block = PEM.matcher(stored.certificatePem());
			if (!block.find()) {
				throw new IllegalStateException("Stored certificate is not PEM");
			}
			return new Opened(privateKey(key), certificate(Base64.getMimeDecoder().decode(block.group(2))));
		}
		catch (Unusable ex) {
			throw new IllegalStateException("A stored certificate credential no longer reads: " + ex.getMessage());
		}
	}

	/** The SHA-1 thumbprint, upper-case hex, as Certificates &amp; secrets shows it. */
	public static String thumbprint(X509Certificate certificate) {
		try {
			return HexFormat.of().withUpperCase()
				.formatHex(MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded()));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Opened matching(PrivateKey key, X509Certificate certificate) throws Unusable {
		if (!"RSA".equals(key.getAlgorithm()) || !"RSA".equals(certificate.getPublicKey().getAlgorithm())) {
			throw new Unusable("The certificate must have an RSA key: Microsoft Entra takes RSA certificates only.");
		}
		java.math.BigInteger keyModulus = ((java.security.interfaces.RSAKey) key).getModulus();
		java.math.BigInteger certificateModulus = ((java.security.interfaces.RSAKey) certificate.getPublicKey()).getModulus();
		if (!keyModulus.equals(certificateModulus)) {
			throw new Unusable("The private key does not belong to the certificate: upload the pair that was made together.");
		}
		return new Opened(key, certificate);
	}

	private static X509Certificate certificate(byte[] der) throws Unusable {
		try {
			return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
		}
		catch (GeneralSecurityException ex) {
			throw new Unusable("The CERTIFICATE block is not an X.509 certificate.");
		}
	}

	private static PrivateKey privateKey(byte[] pkcs8) throws Unusable {
		try {
			return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
		}
		catch (GeneralSecurityException ex) {
			throw new Unusable("The PRIVATE KEY block is not an RSA key in PKCS#8.");
		}
	}


}
