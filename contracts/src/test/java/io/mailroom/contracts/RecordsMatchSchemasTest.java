package io.mailroom.contracts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The Java records and the schemas describe the same messages: a field added to one and not the other
 * would reach the wire undocumented, or be documented and never sent.
 */
class RecordsMatchSchemasTest {

	static final List<String> SCHEMAS = Schemas.ALL;

	@ParameterizedTest(name = "{0}")
	@MethodSource("recordsAndSchemas")
	void recordHasExactlyThePropertiesOfItsSchema(Class<? extends Record> type, String file, String pointer) {
		JsonNode properties = schemaFile(file).at(pointer + "/properties");

		assertThat(Stream.of(type.getRecordComponents()).map((component) -> component.getName()))
			.containsExactlyInAnyOrderElementsOf(properties.propertyNames());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("enumsAndSchemas")
	void enumHasExactlyTheValuesOfItsSchema(Class<? extends Enum<?>> type, String file, String pointer) {
		List<String> values = new ArrayList<>();
		schemaFile(file).at(pointer).forEach((value) -> values.add(value.asString()));

		assertThat(Stream.of(type.getEnumConstants()).map(Enum::name)).containsExactlyElementsOf(values);
	}

	@Test
	void schemaVersionConstantsMatchTheSchemas() {
		assertThat(schemaFile(Schemas.SEND_REQUEST).at("/properties/schemaVersion/const").asInt())
			.isEqualTo(SendRequest.SCHEMA_VERSION);
		assertThat(schemaFile(Schemas.SEND_RESULT).at("/properties/schemaVersion/const").asInt())
			.isEqualTo(SendResult.SCHEMA_VERSION);
		assertThat(schemaFile(Schemas.SERVICE_EVENT).at("/properties/schemaVersion/const").asInt())
			.isEqualTo(ServiceEvent.SCHEMA_VERSION);
	}

	@ParameterizedTest
	@FieldSource("SCHEMAS")
	void schemaIsIdentifiedWhereSchemasSaysItIs(String file) {
		assertThat(schemaFile(file).get("$id").asString()).isEqualTo(Schemas.id(file));
	}

	@ParameterizedTest
	@FieldSource("SCHEMAS")
	void schemaIsAValidDraft202012Schema(String file) {
		Schema metaSchema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
			.getSchema(SchemaLocation.of(SpecificationVersion.DRAFT_2020_12.getDialectId()));

		assertThat(metaSchema.validate(schemaFile(file))).isEmpty();
	}

	@Test
	void jarCarriesEverySchemaOfTheRepository() throws IOException {
		try (Stream<Path> files = Files.list(Path.of("schemas"))) {
			assertThat(files.map((file) -> file.getFileName().toString())).containsExactlyInAnyOrderElementsOf(Schemas.ALL);
		}
		assertThat(Schemas.ALL).allSatisfy((file) -> assertThat(Schemas.resource(file)).isNotNull());
	}

	static Stream<Arguments> recordsAndSchemas() {
		return Stream.of(arguments(SendRequest.class, Schemas.SEND_REQUEST, ""),
				arguments(SendResult.class, Schemas.SEND_RESULT, ""),
				arguments(ServiceEvent.class, Schemas.SERVICE_EVENT, ""),
				arguments(EmailAddress.class, Schemas.COMMON, "/$defs/EmailAddress"),
				arguments(Attachment.class, Schemas.COMMON, "/$defs/Attachment"),
				arguments(ErrorDetails.class, Schemas.COMMON, "/$defs/ErrorDetails"),
				arguments(SmtpReply.class, Schemas.COMMON, "/$defs/SmtpReply"),
				arguments(Handover.class, Schemas.COMMON, "/$defs/Handover"));
	}

	static Stream<Arguments> enumsAndSchemas() {
		return Stream.of(arguments(Priority.class, Schemas.SEND_REQUEST, "/properties/priority/enum"),
				arguments(SendStatus.class, Schemas.SEND_RESULT, "/properties/status/anyOf/0/enum"),
				arguments(ServiceEventType.class, Schemas.SERVICE_EVENT, "/properties/type/anyOf/0/enum"),
				arguments(ErrorCategory.class, Schemas.COMMON, "/$defs/ErrorCategory/anyOf/0/enum"));
	}

	private static JsonNode schemaFile(String file) {
		return ContractSchemas.schema(file).getSchemaNode();
	}

}
