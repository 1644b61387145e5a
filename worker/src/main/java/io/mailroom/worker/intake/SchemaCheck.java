package io.mailroom.worker.intake;

import java.util.List;
import java.util.stream.Collectors;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import io.mailroom.contracts.Schemas;
import io.mailroom.core.failures.Failure;
import io.mailroom.core.failures.Failures;
import tools.jackson.databind.JsonNode;

/**
 * The request against {@code send-request.schema.json} from the contracts jar: what producers in other
 * languages validate against is what intake enforces. Formats are not asserted here (addresses, ids and
 * dates are checked by {@link RequestValidator} and the mapping, with clearer messages).
 */
final class SchemaCheck {

	private static final int ERRORS_SHOWN = 3;

	private final Schema schema = SchemaRegistry
		.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
				builder -> builder
					.schemaIdResolvers(
							resolvers -> resolvers.mapPrefix(Schemas.ID_PREFIX, "classpath:" + Schemas.RESOURCE_FOLDER))
					.schemaRegistryConfig(SchemaRegistryConfig.builder().pathType(PathType.JSON_POINTER).build()))
		.getSchema(SchemaLocation.of(Schemas.id(Schemas.SEND_REQUEST)));

	/** The schema violations of a request, as one refusal, or null when it conforms. */
	Failure check(JsonNode request) {
		List<Error> errors = schema.validate(request);
		if (errors.isEmpty()) {
			return null;
		}
		String shown = errors.stream().limit(ERRORS_SHOWN).map(Error::toString).collect(Collectors.joining("; "));
		String more = errors.size() > ERRORS_SHOWN ? " (and " + (errors.size() - ERRORS_SHOWN) + " more)" : "";
		return Failures.invalidRequest("SCHEMA_VIOLATION", "The request does not match the SendRequest schema: "
				+ shown + more + ".", "Check the request against send-request.schema.json of the contract.");
	}

}
