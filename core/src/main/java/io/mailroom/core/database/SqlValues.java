package io.mailroom.core.database;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import java.util.Map;

import io.mailroom.contracts.MailroomJson;
import io.mailroom.core.text.SafeText;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Conversions between Java values and PostgreSQL columns. Instants travel as {@link OffsetDateTime} in
 * UTC so that {@code timestamptz} values never depend on the JVM's time zone; jsonb columns are read as
 * text ({@code column::text}) and written with {@code cast(? as jsonb)}, in the contract's JSON mapping.
 * Every jsonb value passes {@link #json(Object)}, which keeps out what PostgreSQL refuses in jsonb, so
 * that text from outside (a server's reply, a description from the identity platform) can never make a
 * row unwritable.
 */
public final class SqlValues {

	private SqlValues() {
	}

	/** A parameter for a {@code timestamptz} column. */
	public static OffsetDateTime timestamptz(Instant instant) {
		return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
	}

	/**
	 * A {@code timestamptz} element of an array parameter ({@code cast(? as timestamptz[])}), as text: rounded
	 * to PostgreSQL's microseconds the way the driver rounds a single {@link #timestamptz(Instant)} parameter.
	 * Array parameters let one statement write a whole batch ({@code unnest}) instead of one per row.
	 */
	public static String timestamptzText(Instant instant) {
		return instant == null ? null : instant.plusNanos(500).truncatedTo(ChronoUnit.MICROS).toString();
	}

	/** A {@code timestamptz} column as an instant, or null. */
	public static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return value == null ? null : value.toInstant();
	}

	/**
	 * A parameter for a jsonb column ({@code cast(:param as jsonb)}), or null. Strings (names and values)
	 * holding what PostgreSQL refuses (NUL, {@link SafeText lone surrogates}) are written
	 * {@link SafeText#clean(String) cleaned}; everything else is written as is.
	 */
	public static String json(Object value) {
		if (value == null) {
			return null;
		}
		String json = MailroomJson.mapper().writeValueAsString(value);
		// the mapper escapes control characters, so NUL shows as \u0000; a lone surrogate is written raw
		if (!json.contains("\\u0000") && SafeText.flaw(json, SafeText.Use.BODY) == null) {
			return json;
		}
		return MailroomJson.mapper().writeValueAsString(cleaned(MailroomJson.mapper().valueToTree(value)));
	}

	private static JsonNode cleaned(JsonNode node) {
		if (node.isString()) {
			return JsonNodeFactory.instance.stringNode(SafeText.clean(node.asString()));
		}
		if (node.isObject()) {
			ObjectNode copy = JsonNodeFactory.instance.objectNode();
			for (Map.Entry<String, JsonNode> property : node.properties()) {
				copy.set(SafeText.clean(property.getKey()), cleaned(property.getValue()));
			}
			return copy;
		}
		if (node.isArray()) {
			ArrayNode copy = JsonNodeFactory.instance.arrayNode();
			node.forEach(item -> copy.add(cleaned(item)));
			return copy;
		}
		return node;
	}

	/** A jsonb column read as text, mapped to {@code type}, or null. */
	public static <T> T fromJson(String json, Class<T> type) {
		return json == null ? null : MailroomJson.mapper().readValue(json, type);
	}

}
