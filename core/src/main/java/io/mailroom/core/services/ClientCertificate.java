package io.mailroom.core.services;

import java.time.Instant;
import java.util.Objects;

import io.mailroom.core.secrets.SealedSecret;

/**
 * A certificate credential as stored: the private key sealed like a client secret, the certificate itself
 * (public) in PEM, its thumbprint as the Entra portal shows it, and when it expires.
 *
 * @param privateKey the PKCS#8 private key, sealed
 * @param certificatePem the X.509 certificate, PEM
 * @param thumbprint SHA-1 of the certificate, upper-case hex (Certificates &amp; secrets shows it)
 * @param notAfter when the certificate expires: Entra refuses its assertions from then on
 */
public record ClientCertificate(SealedSecret privateKey, String certificatePem, String thumbprint, Instant notAfter) {

	public ClientCertificate {
		Objects.requireNonNull(privateKey, "privateKey");
		Objects.requireNonNull(certificatePem, "certificatePem");
		Objects.requireNonNull(thumbprint, "thumbprint");
		Objects.requireNonNull(notAfter, "notAfter");
	}

}
