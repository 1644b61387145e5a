package io.mailroom.api.web;

import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document's frame: title, the two ways to authenticate, and a relative server so the document
 * is the same on every host (it is checked in as {@code api/openapi.json}).
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	@Bean
	OpenAPI mailroomOpenApi() {
		return new OpenAPI()
			.info(new Info().title("Mailroom admin API")
				.version("1")
				.description("Set up SMTP services that send through your own Microsoft 365 mailboxes with OAuth2: "
						+ "create a service, authorize it with Microsoft, send a test email, then watch its status and "
						+ "delivery log. Every operation says the role it needs (x-mailroom-role): operator (status, "
						+ "delivery log, test emails) or admin (everything). Errors are RFC 9457 problem details "
						+ "(application/problem+json)."))
			.servers(List.of(new Server().url("/")))
			.components(new Components()
				.addSecuritySchemes("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP)
					.scheme("bearer")
					.description("A JWT of your identity provider for Mailroom's audience, with an account claim and a "
							+ "Mailroom role, or an API key (mr_…)"))
				.addSecuritySchemes("apiKey", new SecurityScheme().type(SecurityScheme.Type.APIKEY)
					.in(SecurityScheme.In.HEADER)
					.name("X-Api-Key")
					.description("An API key of your account (mr_…)")))
			.addSecurityItem(new SecurityRequirement().addList("bearer"))
			.addSecurityItem(new SecurityRequirement().addList("apiKey"));
	}

	/**
	 * Says which role each operation needs (from its {@link RequiresRole}): in the description, as the
	 * extension {@code x-mailroom-role}, and with the 403 a caller of a lesser role gets.
	 */
	@Bean
	OperationCustomizer requiredRoles() {
		return (operation, handler) -> {
			RequiresRole role = handler.getMethodAnnotation(RequiresRole.class);
			if (role != null) {
				String needs = "Needs the " + role.value().label() + " role" + (role.value() == Role.OPERATOR
						? " (operators and admins)." : ".");
				operation.setDescription(operation.getDescription() == null ? needs
						: operation.getDescription() + "\n\n" + needs);
				operation.addExtension("x-mailroom-role", role.value().label());
				if (role.value() != Role.OPERATOR) {
					OpenApiProblems.add(operation.getResponses(), "403", "Your role is not " + role.value().label()
							+ ": detail says who may do this");
				}
			}
			return operation;
		};
	}

	/**
	 * Adds the problem responses every operation can give (401 without credentials, 400 for invalid input,
	 * 404 for what the account does not have, 500) to those the operations declare themselves.
	 */
	@Bean
	OpenApiCustomizer problemResponses() {
		return openApi -> {
			openApi.getComponents().addSchemas("Problem", problemSchema());
			openApi.getPaths().forEach((path, item) -> item.readOperations().forEach(operation -> {
				ApiResponses responses = operation.getResponses();
				if (operation.getRequestBody() != null
						|| (operation.getParameters() != null && !operation.getParameters().isEmpty())) {
					OpenApiProblems.add(responses, "400", "Invalid input: errors names each field and what to enter");
				}
				OpenApiProblems.add(responses, "401", "No valid bearer JWT or API key");
				if (path.contains("{")) {
					OpenApiProblems.add(responses, "404", "Your account has no such resource");
				}
				OpenApiProblems.add(responses, "500", "Mailroom failed; its logs have the details");
				sort(operation);
			}));
		};
	}

	private static void sort(Operation operation) {
		ApiResponses sorted = new ApiResponses();
		operation.getResponses()
			.entrySet()
			.stream()
			.sorted(Map.Entry.comparingByKey())
			.forEach(entry -> sorted.addApiResponse(entry.getKey(), entry.getValue()));
		operation.setResponses(sorted);
	}

	private static Schema<?> problemSchema() {
		return new ObjectSchema().description("An RFC 9457 problem detail")
			.addProperty("type", new StringSchema().format("uri")
				.description("What kind of problem, e.g. urn:mailroom:problem:invalid-input"))
			.addProperty("title", new StringSchema())
			.addProperty("status", new IntegerSchema())
			.addProperty("detail", new StringSchema().description("What happened and what to do"))
			.addProperty("instance", new StringSchema())
			.addProperty("errors", new ArraySchema().description("For invalid input: each field and what to fix")
				.items(new ObjectSchema().addProperty("field", new StringSchema())
					.addProperty("message", new StringSchema())))
			.addProperty("error", new Schema<>().$ref("#/components/schemas/ErrorDetails")
				.description("For problems reported by Microsoft or a service's state: code, hint and link"));
	}

}
