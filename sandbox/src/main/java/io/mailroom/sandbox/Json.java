package io.mailroom.sandbox;

import tools.jackson.databind.json.JsonMapper;

/** The one JSON mapper of the sandbox. */
final class Json {

	static final JsonMapper mapper = JsonMapper.builder().build();

	private Json() {
	}

	static String write(Object value) {
		return mapper.writeValueAsString(value);
	}

}
