package io.mailroom.contracts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import io.mailroom.contracts.SchemaCompatibility.BreakingChange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compatibility gate: the schemas this jar publishes must not break anyone who relies on the released
 * schemas of version 1 ({@code src/test/resources/released/v1/}). A failure here means the change needs a
 * new schemaVersion, not an edit of the baseline.
 */
class ContractCompatibilityTest {

	static final List<String> RELEASED = Schemas.ALL;

	@ParameterizedTest
	@FieldSource("RELEASED")
	void currentSchemaKeepsTheReleasedPromises(String file) {
		JsonNode released = SchemaCompatibilityTest.released(file);
		assertThat(released).as("released baseline of %s", file).isNotNull();

		List<BreakingChange> breaking = SchemaCompatibility.check(released, current(file));

		assertThat(breaking)
			.as("""
					%s breaks the released schemaVersion 1. Make the change additive (a new optional property,
					a new enum value, a wider limit), or publish it as a new schemaVersion; see
					docs/adr/0001-wire-contract.md""", file)
			.isEmpty();
	}

	private static JsonNode current(String file) {
		try (InputStream in = Schemas.resource(file).openStream()) {
			return MailroomJson.mapper().readTree(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
