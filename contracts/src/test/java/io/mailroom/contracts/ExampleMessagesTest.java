package io.mailroom.contracts;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import com.networknt.schema.Error;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The published examples are the contract's executable documentation: every valid one passes its schema
 * and survives the Java records unchanged, every invalid one is refused for the one reason it was written
 * to show.
 */
class ExampleMessagesTest {

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("validExamples")
	void validExampleMatchesItsSchema(ExampleMessages message, Path file) {
		assertThat(ContractSchemas.validate(message.schema, ExampleMessages.read(file))).isEmpty();
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("validExamples")
	void validExampleSurvivesTheJavaRecordUnchanged(ExampleMessages message, Path file) {
		JsonNode original = ExampleMessages.read(file);

		Record parsed = MailroomJson.mapper().treeToValue(original, message.type);
		JsonNode written = MailroomJson.mapper().valueToTree(parsed);

		assertThat(ContractSchemas.validate(message.schema, written)).isEmpty();
		assertThat(differences(original, written, ContractSchemas.schema(message.schema).getSchemaNode()))
			.as("what the Java record changed")
			.isEmpty();
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("invalidExamples")
	void invalidExampleIsRefusedForTheRuleItBreaks(ExampleMessages message, Path file) {
		JsonNode expected = message.expectedErrors().get(file.getFileName().toString());
		assertThat(expected).as("an entry for %s in invalid-expected-errors.json", file.getFileName()).isNotNull();

		List<Error> errors = ContractSchemas.validate(message.schema, ExampleMessages.read(file));

		assertThat(errors).as("errors refusing %s", file.getFileName())
			.isNotEmpty()
			.allSatisfy((error) -> assertThat(error.getEvaluationPath().toString())
				.as("every error comes from the rule under test: %s", error)
				.startsWith(expected.get("evaluationPath").asString()))
			.anySatisfy((error) -> {
				assertThat(error.getKeyword()).isEqualTo(expected.get("keyword").asString());
				assertThat(error.getInstanceLocation().toString())
					.isEqualTo(expected.get("instanceLocation").asString());
				if (expected.has("property")) {
					assertThat(error.getProperty()).isEqualTo(expected.get("property").asString());
				}
			});
	}

	@ParameterizedTest
	@EnumSource(ExampleMessages.class)
	void everyExpectedErrorBelongsToAnInvalidExample(ExampleMessages message) {
		Set<String> files = new HashSet<>();
		message.invalid().forEach((file) -> files.add(file.getFileName().toString()));

		assertThat(message.expectedErrors().propertyNames()).containsExactlyInAnyOrderElementsOf(files);
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("newerExamples")
	void messageFromALaterReleaseIsValidAndReadable(ExampleMessages message, Path file) {
		JsonNode newer = ExampleMessages.read(file);

		assertThat(ContractSchemas.validate(message.schema, newer)).isEmpty();
		assertThat(MailroomJson.mapper().treeToValue(newer, message.type)).isNotNull();
	}

	@Test
	void unknownErrorCategoryIsReadAsUnknown() {
		SendResult result = read(ExampleMessages.SEND_RESULT, "newer/unknown-category-and-fields.json",
				SendResult.class);

		assertThat(result.error().category()).isEqualTo(ErrorCategory.UNKNOWN);
		assertThat(result.error().message()).isNotBlank();
	}

	@Test
	void unknownStatusIsReadAsAbsent() {
		SendResult result = read(ExampleMessages.SEND_RESULT, "newer/unknown-status.json", SendResult.class);

		assertThat(result.status()).isNull();
		assertThat(result.requestId()).isNotNull();
	}

	@Test
	void unknownServiceEventTypeIsReadAsAbsent() {
		ServiceEvent event = read(ExampleMessages.SERVICE_EVENT, "newer/unknown-type.json", ServiceEvent.class);

		assertThat(event.type()).isNull();
		assertThat(event.serviceId()).isNotNull();
	}

	static Stream<Arguments> validExamples() {
		return Stream.of(ExampleMessages.values())
			.flatMap((message) -> message.valid().stream().map((file) -> arguments(message, file.getFileName())))
			.map((arguments) -> resolved(arguments, "valid"));
	}

	static Stream<Arguments> invalidExamples() {
		return Stream.of(ExampleMessages.values())
			.flatMap((message) -> message.invalid().stream().map((file) -> arguments(message, file.getFileName())))
			.map((arguments) -> resolved(arguments, "invalid"));
	}

	static Stream<Arguments> newerExamples() {
		return Stream.of(ExampleMessages.values())
			.flatMap((message) -> message.newer().stream().map((file) -> arguments(message, file.getFileName())))
			.map((arguments) -> resolved(arguments, "newer"));
	}

	// Test names show the bare file name; the test itself gets the full path.
	private static Arguments resolved(Arguments arguments, String kind) {
		ExampleMessages message = (ExampleMessages) arguments.get()[0];
		Path name = (Path) arguments.get()[1];
		return arguments(message, Path.of("examples", message.folder, kind).resolve(name));
	}

	private static <T> T read(ExampleMessages message, String file, Class<T> type) {
		return MailroomJson.mapper()
			.treeToValue(ExampleMessages.read(Path.of("examples", message.folder, file)), type);
	}

	/**
	 * Where the written tree means something else than the original. Allowed: an absent field written with
	 * the schema's default, an empty list or map left out, the same instant in another notation (Mailroom
	 * writes UTC).
	 */
	private static List<String> differences(JsonNode original, JsonNode written, JsonNode schema) {
		List<String> differences = new ArrayList<>();
		compare("", original, written, schema, differences);
		return differences;
	}

	private static void compare(String path, JsonNode original, JsonNode written, JsonNode schema,
			List<String> differences) {
		if (original.isObject() && written.isObject()) {
			Set<String> names = new HashSet<>(original.propertyNames());
			names.addAll(written.propertyNames());
			for (String name : names) {
				compareProperty(path + "/" + name, original.get(name), written.get(name),
						schema.path("properties").path(name), differences);
			}
		}
		else if (original.isArray() && written.isArray() && original.size() == written.size()) {
			for (int i = 0; i < original.size(); i++) {
				compare(path + "/" + i, original.get(i), written.get(i), schema, differences);
			}
		}
		else if (!original.equals(written) && !sameInstant(original, written)) {
			differences.add(path + ": " + original + " became " + written);
		}
	}

	private static void compareProperty(String path, JsonNode original, JsonNode written, JsonNode schema,
			List<String> differences) {
		if (original == null) {
			if (!written.equals(schema.get("default"))) {
				differences.add(path + ": added " + written);
			}
		}
		else if (written == null) {
			if (!(original.isContainer() && original.isEmpty())) {
				differences.add(path + ": lost " + original);
			}
		}
		else {
			compare(path, original, written, schema, differences);
		}
	}

	private static boolean sameInstant(JsonNode original, JsonNode written) {
		if (!original.isString() || !written.isString()) {
			return false;
		}
		try {
			return instant(original).isEqual(instant(written));
		}
		catch (DateTimeParseException ex) {
			return false;
		}
	}

	// RFC 3339 allows a lower-case t and z.
	private static OffsetDateTime instant(JsonNode node) {
		return OffsetDateTime.parse(node.asString().toUpperCase(Locale.ROOT));
	}

}
