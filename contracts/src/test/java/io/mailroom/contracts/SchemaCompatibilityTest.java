package io.mailroom.contracts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Consumer;

import io.mailroom.contracts.SchemaCompatibility.BreakingChange;
import io.mailroom.contracts.SchemaCompatibility.Rule;
import org.assertj.core.api.AbstractListAssert;
import org.assertj.core.api.ObjectAssert;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Proves the compatibility gate fails when it should: each test makes one change to a released schema and
 * checks that exactly the expected breaking change is reported, at the keyword that changed, and that
 * additive changes pass.
 */
class SchemaCompatibilityTest {

	static final List<String> SCHEMAS = Schemas.ALL;

	@ParameterizedTest
	@FieldSource("SCHEMAS")
	void identicalSchemasAreCompatible(String file) {
		assertThat(SchemaCompatibility.check(released(file), released(file))).isEmpty();
	}

	@Test
	void editingDescriptionsAndTitlesIsCompatible() {
		JsonNode current = changed(Schemas.SEND_REQUEST, (schema) -> {
			schema.put("title", "A request to send mail");
			object(schema, "/properties/subject").put("description", "The subject line.");
			object(schema, "/properties/priority").putArray("examples").add("BULK");
		});

		assertThat(SchemaCompatibility.check(released(Schemas.SEND_REQUEST), current)).isEmpty();
	}

	@Test
	void addingAnOptionalPropertyIsCompatible() {
		JsonNode request = changed(Schemas.SEND_REQUEST, (schema) -> object(schema, "/properties").putObject("replyTo")
			.put("$ref", "common.schema.json#/$defs/EmailAddress"));
		JsonNode result = changed(Schemas.SEND_RESULT,
				(schema) -> object(schema, "/properties").putObject("deliveredVia").put("type", "string"));

		assertThat(SchemaCompatibility.check(released(Schemas.SEND_REQUEST), request)).isEmpty();
		assertThat(SchemaCompatibility.check(released(Schemas.SEND_RESULT), result)).isEmpty();
	}

	@Test
	void wideningIsCompatible() {
		JsonNode request = changed(Schemas.SEND_REQUEST, (schema) -> {
			object(schema, "/$defs/Recipients").put("maxItems", 1000);
			array(schema, "/properties/priority/enum").add("LOW");
			schema.remove("additionalProperties");
			object(schema, "/properties/accountId").remove("pattern");
			object(schema, "/properties/text").put("default", "");
		});
		JsonNode result = changed(Schemas.SEND_RESULT, (schema) -> {
			object(schema, "/properties/attempts").put("type", "number").remove("minimum");
			object(schema, "/properties/accountId").putArray("type").add("string").add("null");
			array(schema, "/properties/status/anyOf").addObject().put("type", "null");
		});
		JsonNode common = changed(Schemas.COMMON, (schema) -> {
			object(schema, "/$defs/SmtpReply/properties/enhancedCode").remove("pattern");
			object(schema, "/$defs/SmtpReply/properties/code").put("minimum", 100);
		});

		assertThat(SchemaCompatibility.check(released(Schemas.SEND_REQUEST), request)).isEmpty();
		assertThat(SchemaCompatibility.check(released(Schemas.SEND_RESULT), result)).isEmpty();
		assertThat(SchemaCompatibility.check(released(Schemas.COMMON), common)).isEmpty();
	}

	@Test
	void removingAPropertyIsReportedAsBreaking() {
		assertBreaking(Schemas.SEND_RESULT, (schema) -> object(schema, "/properties").remove("messageId"))
			.containsExactly(tuple(Rule.PROPERTY_REMOVED, "/properties/messageId"));
	}

	@Test
	void renamingAPropertyIsReportedAsRemovingTheOldName() {
		assertBreaking(Schemas.SEND_REQUEST, (schema) -> {
			ObjectNode properties = object(schema, "/properties");
			properties.set("labels", properties.remove("tags"));
		}).containsExactly(tuple(Rule.PROPERTY_REMOVED, "/properties/tags"));
	}

	@Test
	void removingARequiredPropertyIsReportedOnceAsRemoved() {
		assertBreaking(Schemas.SEND_RESULT, (schema) -> {
			object(schema, "/properties").remove("occurredAt");
			removeValue(array(schema, "/required"), "occurredAt");
		}).containsExactly(tuple(Rule.PROPERTY_REMOVED, "/properties/occurredAt"));
	}

	@Test
	void removingADefinitionIsReportedAsBreaking() {
		assertBreaking(Schemas.COMMON, (schema) -> object(schema, "/$defs").remove("SmtpReply"))
			.containsExactly(tuple(Rule.DEFINITION_REMOVED, "/$defs/SmtpReply"));
	}

	@Test
	void changingATypeIsReportedAsNarrowing() {
		assertBreaking(Schemas.SEND_RESULT, (schema) -> object(schema, "/properties/attempts").put("type", "string"))
			.containsExactly(tuple(Rule.TYPE_NARROWED, "/properties/attempts/type"));
	}

	@Test
	void removingATypeFromAUnionIsReportedAsNarrowing() {
		JsonNode released = changed(Schemas.SEND_RESULT,
				(schema) -> object(schema, "/properties/accountId").putArray("type").add("string").add("null"));

		assertThat(SchemaCompatibility.check(released, released(Schemas.SEND_RESULT)))
			.extracting(BreakingChange::rule, BreakingChange::location, BreakingChange::detail)
			.containsExactly(tuple(Rule.TYPE_NARROWED, "/properties/accountId/type", "null"));
	}

	@Test
	void narrowingNumberToIntegerIsReported() {
		JsonNode released = changed(Schemas.SEND_RESULT,
				(schema) -> object(schema, "/properties/attempts").put("type", "number"));

		assertThat(SchemaCompatibility.check(released, released(Schemas.SEND_RESULT)))
			.extracting(BreakingChange::rule, BreakingChange::location)
			.containsExactly(tuple(Rule.TYPE_NARROWED, "/properties/attempts/type"));
	}

	@Test
	void removingAnEnumValueIsReportedAsBreaking() {
		assertBreaking(Schemas.SEND_REQUEST, (schema) -> removeValue(array(schema, "/properties/priority/enum"), "BULK"))
			.containsExactly(tuple(Rule.ENUM_VALUE_REMOVED, "/properties/priority/enum"));
	}

	@Test
	void removingAValueFromAnOpenEnumIsReportedAsBreaking() {
		assertBreaking(Schemas.COMMON, (schema) -> removeValue(array(schema, "/$defs/ErrorCategory/anyOf/0/enum"), "QUOTA"))
			.containsExactly(tuple(Rule.ENUM_VALUE_REMOVED, "/$defs/ErrorCategory/anyOf/0/enum"));
	}

	@Test
	void closingAnOpenEnumIsReportedAsRemovingAnAlternative() {
		assertBreaking(Schemas.COMMON, (schema) -> array(schema, "/$defs/ErrorCategory/anyOf").remove(1))
			.containsExactly(tuple(Rule.ALTERNATIVE_REMOVED, "/$defs/ErrorCategory/anyOf/1"));
	}

	@Test
	void addingAMaxLengthIsReportedAsTightening() {
		assertBreaking(Schemas.SEND_REQUEST, (schema) -> object(schema, "/properties/subject").put("maxLength", 200))
			.containsExactly(tuple(Rule.LIMIT_TIGHTENED, "/properties/subject/maxLength"));
	}

	@Test
	void loweringAMaxItemsIsReportedAsTightening() {
		assertBreaking(Schemas.SEND_REQUEST, (schema) -> object(schema, "/$defs/Recipients").put("maxItems", 100))
			.containsExactly(tuple(Rule.LIMIT_TIGHTENED, "/$defs/Recipients/maxItems"));
	}

	@Test
	void loweringAMaximumIsReportedAsTightening() {
		assertBreaking(Schemas.COMMON, (schema) -> object(schema, "/$defs/SmtpReply/properties/code").put("maximum", 499))
			.containsExactly(tuple(Rule.LIMIT_TIGHTENED, "/$defs/SmtpReply/properties/code/maximum"));
	}

	@Test
	void raisingAMinimumIsReportedAsTightening() {
		assertBreaking(Schemas.SEND_RESULT, (schema) -> object(schema, "/properties/attempts").put("minimum", 1))
			.containsExactly(tuple(Rule.LIMIT_TIGHTENED, "/properties/attempts/minimum"));
	}

	@Test
	void addingAMinLengthIsReportedAsTightening() {
		assertBreaking(Schemas.SEND_REQUEST, (schema) -> object(schema, "/properties/accountId").put("minLength", 3))
			.containsExactly(tuple(Rule.LIMIT_TIGHTENED, "/properties/accountId/minLength"));
	}

	@Test
	void addingAMinItemsIsReportedAsTightening() {
		assertBreaking(Schemas.SEND_REQUEST, (schema) -> object(schema, "/properties/attachments").put("minItems", 1))
			.containsExactly(tuple(Rule.LIMIT_TIGHTENED, "/properties/attachments/minItems"));
	}

	@Test
	void addingAPatternIsReportedAsBreaking() {
		assertBreaking(Schemas.SEND_REQUEST, (schema) -> object(schema, "/properties/text").put("pattern", "^[ -~]*$"))
			.containsExactly(tuple(Rule.CONSTRAINT_ADDED, "/properties/text/pattern"));
	}

	@Test
	void changingAPatternIsReportedForReview() {
		assertBreaking(Schemas.SEND_REQUEST,
				(schema) -> object(schema, "/properties/headers/propertyNames").put("pattern", "^X-[A-Za-z]+$"))
			.containsExactly(tuple(Rule.CONSTRAINT_CHANGED, "/properties/headers/propertyNames/pattern"));
	}

	@Test
	void addingAFormatIsReportedAsBreaking() {
		assertBreaking(Schemas.SEND_REQUEST, (schema) -> object(schema, "/properties/accountId").put("format", "uuid"))
			.containsExactly(tuple(Rule.CONSTRAINT_ADDED, "/properties/accountId/format"));
	}

	@Test
	void addingAConstIsReportedAsBreaking() {
		assertBreaking(Schemas.SEND_RESULT, (schema) -> object(schema, "/properties/accountId").put("const", "acme"))
			.containsExactly(tuple(Rule.CONSTRAINT_ADDED, "/properties/accountId/const"));
	}

	@Test
	void addingAnEnumWhereAnyStringWasAllowedIsReportedAsBreaking() {
		assertBreaking(Schemas.SEND_RESULT,
				(schema) -> object(schema, "/properties/messageId").putArray("enum").add("<a@b>"))
			.containsExactly(tuple(Rule.CONSTRAINT_ADDED, "/properties/messageId/enum"));
	}

	@Test
	void addingAConstraintTheCheckerDoesNotKnowIsReportedAsBreaking() {
		assertBreaking(Schemas.SEND_REQUEST, (schema) -> object(schema, "/$defs/Recipients").put("uniqueItems", true))
			.containsExactly(tuple(Rule.CONSTRAINT_ADDED, "/$defs/Recipients/uniqueItems"));
	}

	@Test
	void addingAnAllOfEntryIsReportedAsBreaking() {
		assertBreaking(Schemas.SEND_REQUEST, (schema) -> array(schema, "/allOf").addObject().putArray("required").add("subject"))
			.containsExactly(tuple(Rule.CONSTRAINT_ADDED, "/allOf/2"));
	}

	@Test
	void makingAnOptionalPropertyRequiredIsReportedAsBreaking() {
		assertBreaking(Schemas.SEND_REQUEST, (schema) -> array(schema, "/required").add("subject"))
			.containsExactly(tuple(Rule.PROPERTY_NOW_REQUIRED, "/required"));
	}

	@Test
	void addingANewRequiredPropertyIsReportedAsBreaking() {
		assertBreaking(Schemas.SEND_REQUEST, (schema) -> {
			object(schema, "/properties").putObject("replyTo").put("$ref", "common.schema.json#/$defs/EmailAddress");
			array(schema, "/required").add("replyTo");
		}).containsExactly(tuple(Rule.NEW_REQUIRED_PROPERTY, "/required"));
	}

	@Test
	void makingARequiredPropertyOptionalIsReportedAsBreakingForConsumers() {
		assertBreaking(Schemas.SEND_RESULT, (schema) -> removeValue(array(schema, "/required"), "occurredAt"))
			.containsExactly(tuple(Rule.NO_LONGER_REQUIRED, "/required"));
	}

	@Test
	void requiringAPropertyInsideAConditionIsReportedWhereItIs() {
		assertBreaking(Schemas.SEND_RESULT, (schema) -> array(schema, "/then/required").add("acceptedAt"))
			.containsExactly(tuple(Rule.PROPERTY_NOW_REQUIRED, "/then/required"));
	}

	@Test
	void changingAConditionIsReportedForReview() {
		assertBreaking(Schemas.SERVICE_EVENT, (schema) -> removeValue(array(schema, "/if/properties/type/enum"), "CONFIGURATION_ERROR"))
			.containsExactly(tuple(Rule.CONSTRAINT_CHANGED, "/if"));
	}

	@Test
	void closingAnOpenObjectIsReportedAsTighteningAdditionalProperties() {
		assertBreaking(Schemas.SEND_RESULT, (schema) -> schema.put("additionalProperties", false))
			.containsExactly(tuple(Rule.ADDITIONAL_PROPERTIES_TIGHTENED, "/additionalProperties"));
	}

	@Test
	void constrainingUnlistedPropertiesIsReportedAsTighteningAdditionalProperties() {
		assertBreaking(Schemas.SEND_RESULT, (schema) -> schema.putObject("additionalProperties").put("type", "string"))
			.containsExactly(tuple(Rule.ADDITIONAL_PROPERTIES_TIGHTENED, "/additionalProperties"));
	}

	@Test
	void narrowingTheValuesOfAMapIsReportedInsideAdditionalProperties() {
		assertBreaking(Schemas.COMMON, (schema) -> object(schema, "/$defs/Tags/additionalProperties").put("maxLength", 64))
			.containsExactly(tuple(Rule.LIMIT_TIGHTENED, "/$defs/Tags/additionalProperties/maxLength"));
	}

	@Test
	void changingADefaultIsReportedAsBreaking() {
		assertBreaking(Schemas.SEND_REQUEST, (schema) -> object(schema, "/properties/priority").put("default", "BULK"))
			.containsExactly(tuple(Rule.DEFAULT_CHANGED, "/properties/priority/default"));
	}

	@Test
	void changingAReferenceIsReportedForReview() {
		assertBreaking(Schemas.SEND_RESULT,
				(schema) -> object(schema, "/properties/acceptedAt").put("$ref", "common.schema.json#/$defs/SingleLine"))
			.containsExactly(tuple(Rule.REFERENCE_CHANGED, "/properties/acceptedAt/$ref"));
	}

	@Test
	void changingTheIdIsReportedAsBreaking() {
		assertBreaking(Schemas.SERVICE_EVENT,
				(schema) -> schema.put("$id", "https://schemas.mailroom.io/v1/service-events.schema.json"))
			.containsExactly(tuple(Rule.IDENTIFIER_CHANGED, "/$id"));
	}

	@Test
	void everyChangeIsReportedNotOnlyTheFirst() {
		assertBreaking(Schemas.SEND_REQUEST, (schema) -> {
			object(schema, "/properties").remove("html");
			array(schema, "/required").add("subject");
		}).containsExactlyInAnyOrder(tuple(Rule.PROPERTY_REMOVED, "/properties/html"),
				tuple(Rule.PROPERTY_NOW_REQUIRED, "/required"));
	}

	private static AbstractListAssert<?, List<? extends Tuple>, Tuple, ObjectAssert<Tuple>> assertBreaking(String file, Consumer<ObjectNode> change) {
		return assertThat(SchemaCompatibility.check(released(file), changed(file, change)))
			.extracting(BreakingChange::rule, BreakingChange::location);
	}

	private static JsonNode changed(String file, Consumer<ObjectNode> change) {
		ObjectNode schema = (ObjectNode) released(file).deepCopy();
		change.accept(schema);
		return schema;
	}

	static JsonNode released(String file) {
		try (InputStream in = SchemaCompatibilityTest.class.getResourceAsStream("/released/v1/" + file)) {
			return MailroomJson.mapper().readTree(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static ObjectNode object(JsonNode schema, String pointer) {
		return (ObjectNode) schema.at(pointer);
	}

	private static ArrayNode array(JsonNode schema, String pointer) {
		return (ArrayNode) schema.at(pointer);
	}

	private static void removeValue(ArrayNode array, String value) {
		for (int i = 0; i < array.size(); i++) {
			if (array.get(i).asString().equals(value)) {
				array.remove(i);
				return;
			}
		}
		throw new IllegalArgumentException(value + " not in " + array);
	}

}
