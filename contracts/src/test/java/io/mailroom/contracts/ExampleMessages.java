package io.mailroom.contracts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;

/**
 * The example messages under {@code contracts/examples/}: per message a folder with {@code valid/},
 * {@code invalid/} (each file breaks exactly one rule, described in {@code invalid-expected-errors.json})
 * and {@code newer/} (what a later release of schemaVersion 1 may publish: valid, readable by today's
 * consumers, but carrying fields or values they do not know).
 */
enum ExampleMessages {

	SEND_REQUEST("send-request", Schemas.SEND_REQUEST, SendRequest.class),

	SEND_RESULT("send-result", Schemas.SEND_RESULT, SendResult.class),

	SERVICE_EVENT("service-event", Schemas.SERVICE_EVENT, ServiceEvent.class);

	// Surefire runs in the module's directory; the examples are read where producers in other languages
	// find them, not from a copy.
	private static final Path ROOT = Path.of("examples");

	final String folder;

	final String schema;

	final Class<? extends Record> type;

	ExampleMessages(String folder, String schema, Class<? extends Record> type) {
		this.folder = folder;
		this.schema = schema;
		this.type = type;
	}

	List<Path> valid() {
		return files("valid");
	}

	List<Path> invalid() {
		return files("invalid");
	}

	List<Path> newer() {
		return files("newer");
	}

	/** Which error each invalid example must be refused with, by file name. */
	JsonNode expectedErrors() {
		return read(ROOT.resolve(folder).resolve("invalid-expected-errors.json"));
	}

	static JsonNode read(Path file) {
		try {
			return MailroomJson.mapper().readTree(Files.readString(file));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private List<Path> files(String kind) {
		Path directory = ROOT.resolve(folder).resolve(kind);
		if (!Files.isDirectory(directory)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(directory)) {
			return files.filter((file) -> file.toString().endsWith(".json")).sorted().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public String toString() {
		return this.folder;
	}

}
