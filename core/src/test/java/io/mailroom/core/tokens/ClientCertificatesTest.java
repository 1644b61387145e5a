package io.mailroom.core.tokens;

import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import io.mailroom.core.secrets.SecretBox;
import io.mailroom.core.secrets.SecretsProperties;
import io.mailroom.core.services.ClientCertificate;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Certificate credentials as an admin uploads them: read, checked, sealed and opened again. */
class ClientCertificatesTest {

	private static final io.mailroom.sandbox.ClientCertificate MADE = io.mailroom.sandbox.ClientCertificate
		.create("mailroom-unit", Duration.ofDays(90));

	private final SecretBox secrets = new SecretBox(new SecretsProperties(
			Map.of("k1", Base64.getEncoder().encodeToString(new byte[32])), "k1"));

	@Test
	void aPemWithCertificateAndKeyIsSealedAndOpensToTheSamePair() throws Exception {
		ClientCertificates.Opened read = ClientCertificates.fromPem(MADE.pem());
		ClientCertificate sealed = ClientCertificates.seal(read, UUID.randomUUID(), secrets);

		assertThat(sealed.thumbprint()).hasSize(40).isEqualTo(ClientCertificates.thumbprint(MADE.certificate()));
		assertThat(sealed.notAfter()).isEqualTo(MADE.certificate().getNotAfter().toInstant());
		assertThat(sealed.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----").doesNotContain("PRIVATE KEY");
		assertThat(sealed.privateKey().toString()).doesNotContain("BEGIN");
		ClientCertificates.Opened opened = ClientCertificates.open(sealed, secrets);
		assertThat(opened.privateKey().getEncoded()).isEqualTo(MADE.privateKey().getEncoded());
		assertThat(opened.certificate()).isEqualTo(MADE.certificate());
	}

	@Test
	void aPfxOpensWithItsPasswordOnly() throws Exception {
		byte[] pfx = MADE.pfx("s3cret".toCharArray());

		assertThat(ClientCertificates.fromPfx(pfx, "s3cret".toCharArray()).certificate()).isEqualTo(MADE.certificate());
		assertThatThrownBy(() -> ClientCertificates.fromPfx(pfx, "wrong".toCharArray()))
			.isInstanceOf(ClientCertificates.Unusable.class)
			.hasMessageContaining("password");
	}

	@Test
	void whatCannotSignIsRefusedWithWhatToDo() {
		io.mailroom.sandbox.ClientCertificate other = io.mailroom.sandbox.ClientCertificate.create("other",
				Duration.ofDays(1));

		assertThatThrownBy(() -> ClientCertificates.fromPem(MADE.certificatePem()))
			.hasMessageContaining("no PRIVATE KEY");
		assertThatThrownBy(() -> ClientCertificates.fromPem(MADE.certificatePem() + other.pem().substring(
				other.pem().indexOf("-----BEGIN PRIVATE KEY"))))
			.hasMessageContaining("does not belong to the certificate");
		assertThatThrownBy(() -> ClientCertificates.fromPem("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----"))
			.hasMessageContaining("openssl pkcs8");
	}

}
