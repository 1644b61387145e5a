package io.mailroom.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

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
				mailroom = start();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return mailroom;
	}

	private static LocalMailroom start() throws IOException {
		Path data = Files.createTempDirectory("mailroom-local-test");
		LocalMailroom started = LocalMailroom
			.start(LocalSettings.onFreePorts(data).withAccessTokenLifetime(Duration.ofMinutes(4)));
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			started.close();
			deleteQuietly(data);
		}, "local-stack-stop"));
		return started;
	}

	/** PostgreSQL's and Kafka's files of a test run are tens of megabytes: leave none behind. */
	private static void deleteQuietly(Path folder) {
		try (Stream<Path> files = Files.walk(folder)) {
			files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
		}
		catch (IOException ex) {
			// the temporary folder stays; the system cleans it eventually
		}
	}

}
