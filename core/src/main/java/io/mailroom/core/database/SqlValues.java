package io.mailroom.core.database;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.mailroom.contracts.MailroomJson;

/**
 * Conversions between Java values and PostgreSQL columns. Instants travel as {@link OffsetDateTime} in
 * UTC so that {@code timestamptz} values never depend on the JVM's time zone; jsonb columns are read as
 * text ({@code column::text}) and written with {@code cast(? as jsonb)}, in the contract's JSON mapping.
 */
public final class SqlValues {

	private SqlValues() {
	}

	/** A parameter for a {@code timestamptz} column. */
	public static OffsetDateTime timestamptz(Instant instant) {
		return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
	}

	/** A {@code timestamptz} column as an instant, or null. */
	public static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return value == null ? null : value.toInstant();
	}

	/** A parameter for a jsonb column ({@code cast(:param as jsonb)}), or null. */
	public static String json(Object value) {
		return value == null ? null : MailroomJson.mapper().writeValueAsString(value);
	}

	/** A jsonb column read as text, mapped to {@code type}, or null. */
	public static <T> T fromJson(String json, Class<T> type) {
		return json == null ? null : MailroomJson.mapper().readValue(json, type);
	}

}
