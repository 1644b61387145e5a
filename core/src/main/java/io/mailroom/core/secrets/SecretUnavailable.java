package io.mailroom.core.secrets;

/** A sealed secret cannot be opened: its key is gone, or the envelope was altered or moved. */
public class SecretUnavailable extends RuntimeException {

	public SecretUnavailable(String message) {
		super(message);
	}

}
