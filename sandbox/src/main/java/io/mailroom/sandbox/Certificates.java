package io.mailroom.sandbox;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Issues the sandbox's certificate authority and server certificate. EC P-256 keys: they generate in a
 * millisecond where RSA takes a noticeable part of a test's start.
 */
final class Certificates {

	record Issued(X509Certificate authority, X509Certificate server, PrivateKey serverKey) {
	}

	private static final SecureRandom random = new SecureRandom();

	private Certificates() {
	}

	/** A fresh authority and a server certificate for the given names, plus the loopback addresses. */
	static Issued issue(List<String> hostNames) {
		try {
			KeyPair authorityKeys = ecKeys();
			X500Name authorityName = new X500Name("CN=Mailroom Microsoft Sandbox CA " + random.nextInt(100_000)
					+ ",O=Mailroom,OU=Sandbox (tests and local run only)");
			Instant now = Instant.now();
			JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();

			X509v3CertificateBuilder authority = new JcaX509v3CertificateBuilder(authorityName, serial(),
					Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(730))), authorityName,
					authorityKeys.getPublic());
			authority.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
			authority.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
			authority.addExtension(Extension.subjectKeyIdentifier, false,
					extensions.createSubjectKeyIdentifier(authorityKeys.getPublic()));
			X509Certificate authorityCertificate = sign(authority, authorityKeys.getPrivate());

			KeyPair serverKeys = ecKeys();
			X509v3CertificateBuilder server = new JcaX509v3CertificateBuilder(authorityCertificate, serial(),
					Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(397))),
					new X500Name("CN=" + hostNames.get(0) + ",O=Mailroom,OU=Sandbox"), serverKeys.getPublic());
			server.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
			server.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
			server.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
			server.addExtension(Extension.subjectAlternativeName, false, subjectAlternativeNames(hostNames));
			server.addExtension(Extension.authorityKeyIdentifier, false,
					extensions.createAuthorityKeyIdentifier(authorityCertificate));
			server.addExtension(Extension.subjectKeyIdentifier, false,
					extensions.createSubjectKeyIdentifier(serverKeys.getPublic()));
			return new Issued(authorityCertificate, sign(server, authorityKeys.getPrivate()), serverKeys.getPrivate());
		}
		catch (GeneralSecurityException | OperatorCreationException | CertIOException ex) {
			throw new IllegalStateException("Could not issue the sandbox's certificates", ex);
		}
	}

	/** A self-signed certificate for the id token signing key, published in the JWKS {@code x5c}. */
	static X509Certificate selfSignedForSigning(KeyPair keys) throws GeneralSecurityException {
		return selfSigned(keys, "CN=accounts.sandbox.localhost", Instant.now().minus(Duration.ofDays(1)),
				Instant.now().plus(Duration.ofDays(730)));
	}

	/** A self-signed RSA certificate, as {@code New-SelfSignedCertificate} or openssl make for app credentials. */
	static X509Certificate selfSigned(KeyPair keys, String subject, Instant notBefore, Instant notAfter)
			throws GeneralSecurityException {
		X500Name name = new X500Name(subject);
		X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(), Date.from(notBefore),
				Date.from(notAfter), name, keys.getPublic());
		try {
			ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate());
			return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
		}
		catch (OperatorCreationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static GeneralNames subjectAlternativeNames(List<String> hostNames) {
		List<GeneralName> names = new ArrayList<>();
		for (String name : hostNames) {
			boolean address = name.contains(":") || name.chars().allMatch((c) -> c == '.' || Character.isDigit(c));
			names.add(new GeneralName(address ? GeneralName.iPAddress : GeneralName.dNSName, name));
		}
		for (String loopback : List.of("127.0.0.1", "::1")) {
			if (!hostNames.contains(loopback)) {
				names.add(new GeneralName(GeneralName.iPAddress, loopback));
			}
		}
		if (!hostNames.contains("localhost")) {
			names.add(new GeneralName(GeneralName.dNSName, "localhost"));
		}
		String local = InetAddress.getLoopbackAddress().getHostName();
		if (!hostNames.contains(local) && !local.contains(":") && !Character.isDigit(local.charAt(0))) {
			names.add(new GeneralName(GeneralName.dNSName, local));
		}
		return new GeneralNames(names.toArray(GeneralName[]::new));
	}

	private static KeyPair ecKeys() throws GeneralSecurityException {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"), random);
		return generator.generateKeyPair();
	}

	private static BigInteger serial() {
		return new BigInteger(64, random).abs().add(BigInteger.ONE);
	}

	private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
			throws OperatorCreationException, GeneralSecurityException {
		ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
		return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
	}

}
