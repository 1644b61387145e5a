package io.mailroom.contracts;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON mapping of the contract: ISO-8601 instants, no nulls written, unknown fields and enum values
 * tolerated on read (newer producers may send them). Mailroom reads and writes every message with it.
 */
public final class MailroomJson {

	private static final JsonMapper MAPPER = configure(JsonMapper.builder()).build();

	private MailroomJson() {
	}

	/** A shared, thread-safe mapper configured for the contract. */
	public static JsonMapper mapper() {
		return MAPPER;
	}

	/** Applies the contract's settings to a builder, for applications that customise their own mapper. */
	public static JsonMapper.Builder configure(JsonMapper.Builder builder) {
		return builder.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.enable(EnumFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
			.enable(EnumFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL);
	}

}
