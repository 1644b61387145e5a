package io.mailroom.contracts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code asyncapi.yaml} is a valid AsyncAPI 3.0 document that tells the same story as the code and schemas. */
class AsyncApiDocumentTest {

	private static final Path DOCUMENT = Path.of("asyncapi.yaml");

	private static final JsonNode ASYNCAPI = read(DOCUMENT);

	@Test
	void documentIsValidAsyncApi300() throws IOException {
		try (InputStream in = AsyncApiDocumentTest.class.getResourceAsStream("/asyncapi/asyncapi-3.0.0.schema.json")) {
			Schema specification = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
				.getSchema(MailroomJson.mapper().readTree(in));

			assertThat(ASYNCAPI.get("asyncapi").asString()).isEqualTo("3.0.0");
			assertThat(specification.validate(ASYNCAPI)).isEmpty();
		}
	}

	@Test
	void channelsAreTheTopicsOfTheContract() {
		List<String> addresses = new ArrayList<>();
		ASYNCAPI.get("channels").forEach((channel) -> addresses.add(channel.path("address").asString("")));

		assertThat(addresses).containsExactlyInAnyOrder(Topics.SEND_REQUESTS, Topics.SEND_REQUESTS_DLT,
				Topics.SEND_RESULTS, Topics.SERVICE_EVENTS);
	}

	@Test
	void deadLettersDocumentTheReasonHeader() {
		JsonNode headers = ASYNCAPI.at("/components/messages/UnreadableSendRequest/headers");

		assertThat(headers.at("/properties").has(Topics.DLT_REASON_HEADER)).isTrue();
		assertThat(headers.at("/required").values()).extracting(JsonNode::asString)
			.containsExactly(Topics.DLT_REASON_HEADER);
	}

	@Test
	void messagePayloadsAreTheSchemaFiles() {
		Map<String, String> payloads = Map.of("SendRequest", Schemas.SEND_REQUEST, "SendResult", Schemas.SEND_RESULT,
				"ServiceEvent", Schemas.SERVICE_EVENT);

		payloads.forEach((message, file) -> {
			JsonNode payload = ASYNCAPI.at("/components/messages/" + message + "/payload");
			assertThat(payload.get("schemaFormat").asString()).isEqualTo("application/schema+json;version=2020-12");
			assertThat(payload.at("/schema/$ref").asString()).isEqualTo("./schemas/" + file);
			assertThat(Path.of(payload.at("/schema/$ref").asString())).isRegularFile();
		});
	}

	@Test
	void messageExamplesMatchTheirSchemas() {
		int checked = 0;
		for (JsonNode message : ASYNCAPI.at("/components/messages").values()) {
			String reference = message.at("/payload/schema/$ref").asString("");
			if (reference.isEmpty()) {
				continue; // dead letters carry whatever bytes could not be read
			}
			String file = Path.of(reference).getFileName().toString();
			for (JsonNode example : message.get("examples")) {
				assertThat(ContractSchemas.validate(file, example.get("payload")))
					.as("example %s of %s", example.get("name"), message.get("name"))
					.isEmpty();
				checked++;
			}
		}
		assertThat(checked).isGreaterThanOrEqualTo(5);
	}

	@Test
	void jarCarriesTheDocumentBesideTheSchemas() throws IOException {
		try (InputStream in = AsyncApiDocumentTest.class.getClassLoader().getResourceAsStream("asyncapi.yaml")) {
			assertThat(in).isNotNull();
			assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(DOCUMENT));
		}
	}

	private static JsonNode read(Path file) {
		try {
			return YAMLMapper.builder().build().readTree(Files.readString(file));
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
