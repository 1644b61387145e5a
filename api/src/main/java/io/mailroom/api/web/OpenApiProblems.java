package io.mailroom.api.web;

import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;

/** Problem responses in the OpenAPI document, for the customizers of each feature. */
public final class OpenApiProblems {

	private OpenApiProblems() {
	}

	/** Adds a problem response unless the operation declares that status itself. */
	public static void add(ApiResponses responses, String status, String description) {
		if (!responses.containsKey(status)) {
			responses.addApiResponse(status, problem(description));
		}
	}

	/** A response whose body is a problem detail. */
	static ApiResponse problem(String description) {
		return new ApiResponse().description(description)
			.content(new Content().addMediaType("application/problem+json",
					new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem"))));
	}

}
