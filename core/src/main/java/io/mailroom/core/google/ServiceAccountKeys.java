package io.mailroom.core.google;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.google.auth.oauth2.ServiceAccountCredentials;

/** A service account's JSON key as an admin uploads it, read and checked with Google's library before it is sealed. */
public final class ServiceAccountKeys {

	private ServiceAccountKeys() {
	}

	/** What Mailroom shows of a key: the account's address and the client ID the Workspace admin allows. */
	public record Described(String clientEmail, String clientId) {
	}

	/** Why an upload is no usable key, in words for the admin. */
	public static final class Unusable extends Exception {

		public Unusable(String message) {
			super(message, null, false, false);
		}

	}

	/** Reads a JSON key file ({@code "type": "service_account"}, its private key, e-mail and client ID). */
	public static Described read(String json) throws Unusable {
		if (json == null || json.isBlank()) {
			throw new Unusable("Upload the service account's JSON key (Google Cloud console > IAM & Admin > Service "
					+ "accounts > the account > Keys > Add key > JSON).");
		}
		if (!json.contains("\"service_account\"")) {
			throw new Unusable("This is not a service account key: upload the JSON file of type service_account that "
					+ "Google Cloud console downloads (not an OAuth client's client_secret JSON).");
		}
		ServiceAccountCredentials credentials;
		try {
			credentials = ServiceAccountCredentials.fromStream(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
		}
		catch (IOException | RuntimeException ex) {
			throw new Unusable("The key file cannot be read (" + firstSentence(ex.getMessage())
					+ "): download a new JSON key for the service account and upload it unchanged.");
		}
		if (credentials.getClientId() == null || credentials.getClientId().isBlank()) {
			throw new Unusable("The key file has no client_id: download a new JSON key and upload it unchanged.");
		}
		return new Described(credentials.getClientEmail(), credentials.getClientId());
	}

	private static String firstSentence(String message) {
		if (message == null) {
			return "unreadable";
		}
		String line = message.split("\\R", 2)[0];
		return line.length() > 120 ? line.substring(0, 120) : line;
	}

}
