package io.mailroom.core.text;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import io.mailroom.core.text.SafeText.Flaw;
import io.mailroom.core.text.SafeText.Use;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SafeTextTest {

	@Test
	void aNulIsNamedWithItsCodePointAndPosition() {
		Flaw flaw = SafeText.flaw("Your code\u0000 is 42", Use.LINE);

		assertThat(flaw.describe()).isEqualTo("U+0000 (NUL) at position 9");
	}

	@Test
	void positionsCountCodePointsSoThatCharactersOutsideTheBasicPlaneCountOnce() {
		assertThat(SafeText.flaw("😀😀\u001b", Use.LINE).describe())
			.isEqualTo("the control character U+001B at position 2");
	}

	@Test
	void tabIsAllowedEverywhereAndLineBreaksOnlyInBodies() {
		assertThat(SafeText.flaw("a\tb", Use.LINE)).isNull();
		assertThat(SafeText.flaw("line one\r\nline two\n", Use.BODY)).isNull();
		assertThat(SafeText.flaw("Hello\r\nBcc: x@example.com", Use.LINE).describe())
			.isEqualTo("a line break (U+000D, CR) at position 5");
		assertThat(SafeText.flaw("a\nb", Use.LINE).kind()).isEqualTo(Flaw.Kind.LINE_BREAK);
	}

	@Test
	void otherControlCharactersAreRefusedEvenInBodies() {
		for (char c = 0; c < 0x20; c++) {
			if (c != '\t' && c != '\r' && c != '\n') {
				assertThat(SafeText.flaw("x" + c, Use.BODY)).as("U+%04X", (int) c).isNotNull();
			}
		}
		assertThat(SafeText.flaw("x\u007f", Use.BODY).kind()).isEqualTo(Flaw.Kind.CONTROL);
	}

	@Test
	void loneSurrogatesAreRefusedAndPairsAreNot() {
		assertThat(SafeText.flaw("ok \ud83d\ude00", Use.LINE)).isNull();
		assertThat(SafeText.flaw("x\ud800", Use.LINE).describe()).isEqualTo("a lone surrogate U+D800 at position 1");
		assertThat(SafeText.flaw("\udc00x", Use.BODY).kind()).isEqualTo(Flaw.Kind.LONE_SURROGATE);
		assertThat(SafeText.flaw("\ude00\ud83d", Use.BODY).position()).isZero();
	}

	@Test
	void textWithoutRefusedCharactersIsReturnedUnchanged() {
		String reply = "Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.\tü";

		assertThat(SafeText.clean(reply, 1000)).isSameAs(reply);
		assertThat(SafeText.clean(null, 10)).isNull();
	}

	@Test
	void cleaningReplacesRefusedCharactersAndKeepsLineBreaks() {
		assertThat(SafeText.clean("5.7.3\u0000 bad\u001b[31m \ud800 end\r\n"))
			.isEqualTo("5.7.3\ufffd bad\ufffd[31m \ufffd end\r\n");
	}

	@Test
	void cleaningCutsLongTextWithAnEllipsisWithoutSplittingAPair() {
		assertThat(SafeText.clean("abcdefgh", 5)).isEqualTo("abcd…");
		assertThat(SafeText.clean("abc😀😀", 5)).isEqualTo("abc😀😀");
		assertThat(SafeText.clean("abc😀😀x", 5)).isEqualTo("abc😀…");
	}

	@Test
	void wellFormedUtf8IsAcceptedWhateverItEncodes() {
		assertThat(SafeText.invalidUtf8At("{\"subject\":\"Grüße 😀 €\"}".getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
		assertThat(SafeText.invalidUtf8At(new byte[0])).isEqualTo(-1);
	}

	@Test
	void bytesThatAreNotUtf8AreFoundAtTheirOffset() {
		assertThat(SafeText.invalidUtf8At(bytes(0x41, 0xFF))).isEqualTo(1);
		assertThat(SafeText.invalidUtf8At(bytes(0x41, 0xC0, 0x80))).as("overlong NUL").isEqualTo(1);
		assertThat(SafeText.invalidUtf8At(bytes(0xED, 0xA0, 0x80))).as("an encoded surrogate").isZero();
		assertThat(SafeText.invalidUtf8At(bytes(0x41, 0x42, 0xE2, 0x82))).as("truncated").isEqualTo(2);
		assertThat(SafeText.invalidUtf8At(bytes(0xF4, 0x90, 0x80, 0x80))).as("above U+10FFFF").isZero();
		assertThat(SafeText.invalidUtf8At(bytes(0x80))).as("a lone continuation byte").isZero();
	}

	@Test
	void theUtf8CheckAgreesWithTheJdksStrictDecoderOnRandomBytes() {
		Random random = new Random(20261203);
		for (int n = 0; n < 20_000; n++) {
			byte[] bytes = new byte[random.nextInt(12)];
			random.nextBytes(bytes);
			// mostly-valid inputs find the interesting edges: mix in well-formed characters
			if (random.nextBoolean()) {
				bytes = (new String(bytes, StandardCharsets.UTF_8) + "é€😀").getBytes(StandardCharsets.UTF_8);
				bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
			}
			assertThat(SafeText.invalidUtf8At(bytes) < 0).as("%s", java.util.HexFormat.of().formatHex(bytes))
				.isEqualTo(decodesStrictly(bytes));
		}
	}

	private static boolean decodesStrictly(byte[] bytes) {
		try {
			StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes));
			return true;
		}
		catch (CharacterCodingException ex) {
			return false;
		}
	}

	private static byte[] bytes(int... values) {
		byte[] bytes = new byte[values.length];
		for (int i = 0; i < values.length; i++) {
			bytes[i] = (byte) values[i];
		}
		return bytes;
	}

}
