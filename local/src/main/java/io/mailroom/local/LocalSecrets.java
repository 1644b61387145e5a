package io.mailroom.local;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;

/**
 * The local run's own secrets, made on the first run and kept in the data directory: the key that seals
 * client secrets and tokens in PostgreSQL (so they open again after a restart) and the demo account's API
 * key. They protect nothing but this machine's development data.
 *
 * @param secretsKey base64 of 32 random bytes, for {@code mailroom.secrets.keys.local}
 * @param apiKey the demo account's API key ({@code mr_…})
 */
record LocalSecrets(String secretsKey, String apiKey) {

	private static final SecureRandom random = new SecureRandom();

	static LocalSecrets loadOrCreate(Path file) {
		try {
			if (Files.exists(file)) {
				Properties stored = new Properties();
				try (Reader in = Files.newBufferedReader(file)) {
					stored.load(in);
				}
				return new LocalSecrets(stored.getProperty("secrets-key"), stored.getProperty("api-key"));
			}
			LocalSecrets created = new LocalSecrets(Base64.getEncoder().encodeToString(randomBytes()),
					"mr_" + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes()));
			Properties properties = new Properties();
			properties.setProperty("secrets-key", created.secretsKey());
			properties.setProperty("api-key", created.apiKey());
			Files.createFile(file);
			restrictToOwner(file);
			try (Writer out = Files.newBufferedWriter(file)) {
				properties.store(out, "Mailroom's local run: its secrets key and the demo account's API key. "
						+ "Deleting this file makes sealed secrets in PostgreSQL unreadable: delete the whole folder instead.");
			}
			return created;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read or write " + file, ex);
		}
	}

	private static byte[] randomBytes() {
		byte[] bytes = new byte[32];
		random.nextBytes(bytes);
		return bytes;
	}

	private static void restrictToOwner(Path file) throws IOException {
		try {
			Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
		}
		catch (UnsupportedOperationException ex) {
			// not a POSIX file system: the folder's own permissions apply
		}
	}

}
