package io.mailroom.core.secrets;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretBoxTest {

	private static final String KEY_A = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

	private static final String KEY_B = "HxwdHhsaGRgXFhUUExIREA8ODQwLCgkIBwYFBAMCAQA=";

	@Test
	void sealedSecretOpensForTheSameContextAndDoesNotContainThePlaintext() {
		SecretBox box = box(Map.of("a", KEY_A), "a");
		byte[] sealed = box.seal("client-secret-value", "smtp_service/1/client_secret");

		assertThat(new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("client-secret-value");
		assertThat(box.open(sealed, "smtp_service/1/client_secret")).isEqualTo("client-secret-value");
	}

	@Test
	void sealingTheSameSecretTwiceGivesDifferentEnvelopes() {
		SecretBox box = box(Map.of("a", KEY_A), "a");

		assertThat(box.seal("same", "ctx")).isNotEqualTo(box.seal("same", "ctx"));
	}

	@Test
	void aSecretMovedToAnotherRecordDoesNotOpen() {
		SecretBox box = box(Map.of("a", KEY_A), "a");
		byte[] sealed = box.seal("secret", "smtp_service/1/client_secret");

		assertThatThrownBy(() -> box.open(sealed, "smtp_service/2/client_secret")).isInstanceOf(SecretUnavailable.class)
			.hasMessageNotContaining("secret\"");
	}

	@Test
	void anAlteredEnvelopeDoesNotOpen() {
		SecretBox box = box(Map.of("a", KEY_A), "a");
		byte[] sealed = box.seal("secret", "ctx");
		sealed[sealed.length - 1] ^= 1;

		assertThatThrownBy(() -> box.open(sealed, "ctx")).isInstanceOf(SecretUnavailable.class);
	}

	@Test
	void afterRotationOldSecretsStillOpenAndNewOnesUseTheNewKey() {
		byte[] old = box(Map.of("a", KEY_A), "a").seal("old", "ctx");
		SecretBox rotated = box(Map.of("a", KEY_A, "b", KEY_B), "b");

		byte[] fresh = rotated.seal("new", "ctx");

		assertThat(rotated.open(old, "ctx")).isEqualTo("old");
		assertThat(rotated.keyIdOf(old)).isEqualTo("a");
		assertThat(rotated.keyIdOf(fresh)).isEqualTo("b");
	}

	@Test
	void aSecretWhoseKeyWasRemovedNamesTheMissingKey() {
		byte[] old = box(Map.of("a", KEY_A), "a").seal("old", "ctx");
		SecretBox withoutA = box(Map.of("b", KEY_B), "b");

		assertThatThrownBy(() -> withoutA.open(old, "ctx")).isInstanceOf(SecretUnavailable.class)
			.hasMessageContaining("'a'");
	}

	@Test
	void keysMustBe256BitsAndTheActiveKeyMustExist() {
		assertThatIllegalArgumentException().isThrownBy(() -> new SecretsProperties(Map.of("a", "c2hvcnQ="), "a"))
			.withMessageContaining("32 random bytes");
		assertThatIllegalArgumentException().isThrownBy(() -> new SecretsProperties(Map.of("a", KEY_A), "b"))
			.withMessageContaining("active-key");
	}

	@Test
	void sealedSecretNeverPrintsItsContent() {
		SecretBox box = box(Map.of("a", KEY_A), "a");

		assertThat(box.sealFor("p@ssw0rd", "ctx").toString()).isEqualTo("SealedSecret[ctx]");
	}

	private static SecretBox box(Map<String, String> keys, String active) {
		return new SecretBox(new SecretsProperties(keys, active));
	}

}
