package io.mailroom.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One local run for the whole test JVM, as {@code ./run-local} starts it, on free ports and in a temporary
 * data directory. Access tokens live 4 minutes, less than the worker's refresh margin, so every send
 * refreshes its token and the token metrics appear.
 */
final class LocalStack {

	private static LocalMailroom mailroom;

	private LocalStack() {
	}

	static synchronized LocalMailroom mailroom() {
		if (mailroom == null) {
			try {
				Path data = Files.createTempDirectory("mailroom-local-test");
				mailroom = LocalMailroom
					.start(LocalSettings.onFreePorts(data).withAccessTokenLifetime(Duration.ofMinutes(4)));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			LocalMailroom started = mailroom;
			Runtime.getRuntime().addShutdownHook(new Thread(started::close, "local-stack-stop"));
		}
		return mailroom;
	}

}
