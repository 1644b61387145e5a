package io.mailroom.api.web;

import java.util.List;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;

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
						+ "delivery log. Errors are RFC 9457 problem details (application/problem+json)."))
			.servers(List.of(new Server().url("/")))
			.components(new Components()
				.addSecuritySchemes("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP)
					.scheme("bearer")
					.description("A JWT of your identity provider with an account claim, or an API key (mr_…)"))
				.addSecuritySchemes("apiKey", new SecurityScheme().type(SecurityScheme.Type.APIKEY)
					.in(SecurityScheme.In.HEADER)
					.name("X-Api-Key")
					.description("An API key of your account (mr_…)")))
			.addSecurityItem(new SecurityRequirement().addList("bearer"))
			.addSecurityItem(new SecurityRequirement().addList("apiKey"));
	}

}
