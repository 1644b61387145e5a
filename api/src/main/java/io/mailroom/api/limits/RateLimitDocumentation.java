package io.mailroom.api.limits;

import io.mailroom.api.web.OpenApiProblems;

import org.springdoc.core.customizers.OperationCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Shows each {@link RateLimit} in the OpenAPI document: a 429 response and a line of the description. */
@Configuration(proxyBeanMethods = false)
class RateLimitDocumentation {

	@Bean
	OperationCustomizer rateLimitResponses() {
		return (operation, handler) -> {
			RateLimit limit = handler.getMethodAnnotation(RateLimit.class);
			if (limit != null) {
				OpenApiProblems.add(operation.getResponses(), "429", "Too many " + limit.value().description()
						+ " from your account (a limit shared by every api instance); see Retry-After");
			}
			return operation;
		};
	}

}
