package io.mailroom.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The sandbox's trust material: a private certificate authority, generated at start, that issued the
 * certificate the identity platform (HTTPS) and SMTP STARTTLS present. Clients trust the sandbox by trusting
 * this authority, exactly as they trust Microsoft through the JDK's public roots; never by trusting all.
 */
public final class SandboxTls {

	/** TLS 1.2 and newer only, as Exchange Online and the identity platform require. */
	static final String[] PROTOCOLS = { "TLSv1.3", "TLSv1.2" };

	// Generating keys costs tens of milliseconds: one authority per JVM and host set serves every sandbox.
	private static final Map<List<String>, SandboxTls> issued = new ConcurrentHashMap<>();

	private final X509Certificate authority;

	private final KeyStore trustStore;

	private final SSLContext clientContext;

	private final SSLContext serverContext;

	private SandboxTls(Certificates.Issued issued) {
		this.authority = issued.authority();
		try {
			this.trustStore = KeyStore.getInstance("PKCS12");
			this.trustStore.load(null, null);
			this.trustStore.setCertificateEntry("mailroom-sandbox-ca", this.authority);
			TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trust.init(this.trustStore);
			this.clientContext = SSLContext.getInstance("TLS");
			this.clientContext.init(null, trust.getTrustManagers(), null);

			char[] password = "sandbox".toCharArray();
			KeyStore keys = KeyStore.getInstance("PKCS12");
			keys.load(null, null);
			keys.setKeyEntry("server", issued.serverKey(), password,
					new X509Certificate[] { issued.server(), this.authority });
			KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			keyManagers.init(keys, password);
			this.serverContext = SSLContext.getInstance("TLS");
			this.serverContext.init(keyManagers.getKeyManagers(), null, null);
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new IllegalStateException("Could not set up the sandbox's TLS material", ex);
		}
	}

	static SandboxTls forHosts(List<String> hostNames) {
		return issued.computeIfAbsent(List.copyOf(hostNames), (names) -> new SandboxTls(Certificates.issue(names)));
	}

	/** The certificate authority that issued the sandbox's server certificate. */
	public X509Certificate caCertificate() {
		return this.authority;
	}

	/** The certificate authority in PEM form, e.g. for a Spring SSL bundle or {@code curl --cacert}. */
	public String caCertificatePem() {
		try {
			String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
				.encodeToString(this.authority.getEncoded());
			return "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n";
		}
		catch (CertificateEncodingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** An in-memory PKCS12 trust store holding only the sandbox's certificate authority. */
	public KeyStore trustStore() {
		return this.trustStore;
	}

	/** A client TLS context that trusts the sandbox (and nothing else). */
	public SSLContext sslContext() {
		return this.clientContext;
	}

	/**
	 * The socket factory to give MSAL4J ({@code .sslSocketFactory(...)}) and Angus Mail
	 * ({@code mail.smtp.ssl.socketFactory}); host names are still verified by the client.
	 */
	public SSLSocketFactory sslSocketFactory() {
		return this.clientContext.getSocketFactory();
	}

	/** Writes the certificate authority as PEM and returns the file. */
	public Path writeCaCertificate(Path file) {
		try {
			return Files.writeString(file, caCertificatePem(), StandardCharsets.US_ASCII);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Writes the trust store as PKCS12 (for {@code -Djavax.net.ssl.trustStore}) and returns the file. */
	public Path writeTrustStore(Path file, char[] password) {
		try (OutputStream out = Files.newOutputStream(file)) {
			this.trustStore.store(out, password);
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	SSLContext serverContext() {
		return this.serverContext;
	}

	/** TLS for the sandbox's HTTPS servers: its certificate, TLS 1.2 and later only. */
	com.sun.net.httpserver.HttpsConfigurator httpsConfigurator() {
		return new com.sun.net.httpserver.HttpsConfigurator(serverContext()) {
			@Override
			public void configure(com.sun.net.httpserver.HttpsParameters parameters) {
				javax.net.ssl.SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
				ssl.setProtocols(PROTOCOLS);
				parameters.setSSLParameters(ssl);
			}
		};
	}

}
