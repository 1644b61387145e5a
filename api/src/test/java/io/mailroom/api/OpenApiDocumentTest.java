package io.mailroom.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The OpenAPI document the api serves is the one checked in as {@code api/openapi.json}, so a change to the
 * API shows up in review as a change to the document.
 */
class OpenApiDocumentTest extends ApiIntegrationTest {

	private static final Path CHECKED_IN = Path.of("openapi.json");

	private static final String UPDATE = "mailroom.openapi.update";

	private static final JsonMapper PRETTY = JsonMapper.builder()
		.enable(SerializationFeature.INDENT_OUTPUT)
		.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
		.build();

	@Test
	void theServedDocumentIsTheCheckedInOne() throws IOException {
		ApiClient.Response served = anonymous().get("/v3/api-docs");
		assertThat(served.status()).isEqualTo(200);
		JsonNode document = PRETTY.readTree(served.body());
		String text = PRETTY.writeValueAsString(PRETTY.treeToValue(document, Object.class)) + "\n";

		if (Boolean.getBoolean(UPDATE)) {
			Files.writeString(CHECKED_IN, text);
			return;
		}
		JsonNode checkedIn = Files.exists(CHECKED_IN) ? PRETTY.readTree(Files.readString(CHECKED_IN)) : null;
		if (!document.equals(checkedIn)) {
			Path actual = Path.of("target", "openapi.json");
			Files.createDirectories(actual.getParent());
			Files.writeString(actual, text);
			fail("The served OpenAPI document differs from api/openapi.json (the served one is in api/" + actual
					+ "). If the API change is intended, regenerate the checked-in document with\n  ./mvnw -pl api -am "
					+ "verify -Dtest=OpenApiDocumentTest -Dsurefire.failIfNoSpecifiedTests=false -D" + UPDATE
					+ "=true\nand commit api/openapi.json.");
		}
	}

	@Test
	void theDocumentDescribesTheAdminApiAndHowToAuthenticate() {
		JsonNode document = anonymous().get("/v3/api-docs").json();

		assertThat(document.path("openapi").asString()).startsWith("3.");
		assertThat(document.path("paths").has("/api/smtp-services")).isTrue();
		assertThat(document.path("paths").has("/api/smtp-services/{id}/authorization")).isTrue();
		assertThat(document.path("paths").has("/api/smtp-services/{id}/test-email")).isTrue();
		assertThat(document.path("paths").has("/api/smtp-services/{serviceId}/deliveries")).isTrue();
		assertThat(document.path("components").path("securitySchemes").has("bearer")).isTrue();
		assertThat(document.path("components").path("securitySchemes").has("apiKey")).isTrue();
	}

}
