package io.mailroom.contracts;

import java.net.URL;
import java.util.List;

/**
 * Where the JSON Schemas of the contract are: in this jar under {@value #RESOURCE_FOLDER}, in the
 * repository under {@code contracts/schemas/}. A schema's {@code $id} is {@value #ID_PREFIX} followed by
 * its file name; the message schemas refer to {@value #COMMON} by relative references, so a validator
 * that maps {@value #ID_PREFIX} to {@value #RESOURCE_FOLDER} on the classpath resolves every reference
 * without network access (the {@code $id}s are identifiers, not download locations).
 */
public final class Schemas {

	/** Prefix of every schema's {@code $id} in schemaVersion 1. */
	public static final String ID_PREFIX = "https://schemas.mailroom.io/v1/";

	/** Classpath folder holding the schema files. */
	public static final String RESOURCE_FOLDER = "schemas/";

	/** Shared definitions: email address, attachment, error details, SMTP reply. */
	public static final String COMMON = "common.schema.json";

	/** The schema of {@link SendRequest}. */
	public static final String SEND_REQUEST = "send-request.schema.json";

	/** The schema of {@link SendResult}. */
	public static final String SEND_RESULT = "send-result.schema.json";

	/** The schema of {@link ServiceEvent}. */
	public static final String SERVICE_EVENT = "service-event.schema.json";

	/** Every schema file of the contract. */
	public static final List<String> ALL = List.of(COMMON, SEND_REQUEST, SEND_RESULT, SERVICE_EVENT);

	private Schemas() {
	}

	/** The {@code $id} of one of the files above, e.g. {@code id(SEND_REQUEST)}. */
	public static String id(String fileName) {
		return ID_PREFIX + fileName;
	}

	/** The classpath resource of one of the files above; throws when the jar does not carry it. */
	public static URL resource(String fileName) {
		URL url = Schemas.class.getClassLoader().getResource(RESOURCE_FOLDER + fileName);
		if (url == null) {
			throw new IllegalArgumentException("No schema " + fileName + " in " + RESOURCE_FOLDER);
		}
		return url;
	}

}
