package io.mailroom.contracts;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class AttachmentTest {

	@Test
	void decodesWhatOfEncoded() {
		byte[] bytes = "item,amount\n".getBytes(StandardCharsets.UTF_8);

		assertThat(Attachment.of("a.csv", "text/csv", bytes).decodedContent()).isEqualTo(bytes);
	}

	@Test
	void refusesContentThatIsNotBase64() {
		// A lenient decoder would skip these characters and hand back an empty, silently corrupted file.
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Attachment("a.txt", "text/plain", "%%%%").decodedContent());
	}

	@Test
	void refusesBase64WithLineBreaks() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Attachment("a.txt", "text/plain", "aXRl\r\nbQ==").decodedContent());
	}

	@Test
	void largeContentValidatesWithoutExhaustingTheStack() {
		// Some regex engines recurse per repetition; the content pattern must stay linear for megabytes.
		Attachment large = Attachment.of("big.bin", "application/octet-stream", new byte[3 * 1024 * 1024]);
		SendRequest request = SendRequest.builder("acme", java.util.UUID.randomUUID())
			.to("ada@example.com")
			.text("See attachment.")
			.attachment(large)
			.build();

		assertThat(ContractSchemas.validate(Schemas.SEND_REQUEST, MailroomJson.mapper().valueToTree(request))).isEmpty();
	}

}
