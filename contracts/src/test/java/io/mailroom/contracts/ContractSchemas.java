package io.mailroom.contracts;

import java.util.List;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import tools.jackson.databind.JsonNode;

/**
 * Validates JSON against the contract's schemas as this jar carries them (classpath {@code schemas/}), the
 * way a strict producer in another language would: formats (uuid, date-time, email, uri) are asserted,
 * not just annotated, and errors point at the instance with JSON Pointers.
 */
final class ContractSchemas {

	private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
			SpecificationVersion.DRAFT_2020_12,
			builder -> builder
				.schemaIdResolvers(resolvers -> resolvers.mapPrefix(Schemas.ID_PREFIX,
						"classpath:" + Schemas.RESOURCE_FOLDER))
				.schemaRegistryConfig(SchemaRegistryConfig.builder()
					.formatAssertionsEnabled(true)
					.pathType(PathType.JSON_POINTER)
					.build()));

	private ContractSchemas() {
	}

	static Schema schema(String fileName) {
		return REGISTRY.getSchema(SchemaLocation.of(Schemas.id(fileName)));
	}

	static List<Error> validate(String fileName, JsonNode message) {
		return schema(fileName).validate(message);
	}

}
