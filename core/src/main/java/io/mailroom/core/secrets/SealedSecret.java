package io.mailroom.core.secrets;

import java.util.Arrays;

/**
 * A secret as stored: an envelope from {@link SecretBox} and the context it was sealed for. Open it with
 * {@link SecretBox#open(SealedSecret)} at the moment of use. {@link #toString()} never shows it.
 */
public record SealedSecret(byte[] envelope, String context) {

	public SealedSecret {
		envelope = envelope.clone();
	}

	@Override
	public byte[] envelope() {
		return envelope.clone();
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof SealedSecret that && Arrays.equals(envelope, that.envelope)
				&& context.equals(that.context);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(envelope) * 31 + context.hashCode();
	}

	@Override
	public String toString() {
		return "SealedSecret[" + context + "]";
	}

}
