package io.mailroom.api.security;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How callers authenticate and what they may do. JWT validation itself is configured with Spring Boot's
 * standard settings ({@code spring.security.oauth2.resourceserver.jwt.issuer-uri} or {@code .jwk-set-uri}, and
 * the required {@code .audiences}); without them only API keys are accepted.
 *
 * @param accountClaim the JWT claim naming the caller's account (default {@code account_id})
 * @param actorClaims JWT claims tried in order for the acting person's name, for the audit log (default
 *     {@code preferred_username}, then {@code sub})
 * @param roleClaim the JWT claim holding the caller's roles: a list of strings or one space- or comma-separated
 *     string; a dotted path reaches into objects, e.g. {@code realm_access.roles} (default {@code roles})
 * @param adminRole the role value that makes a JWT caller an admin (default {@code mailroom-admin})
 * @param operatorRole the role value that makes a JWT caller an operator (default {@code mailroom-operator})
 * @param keyLifetime how long a new API key lives when its creator names no expiry (default 90 days)
 * @param maxKeyLifetime the longest lifetime a new API key may be given (default 365 days)
 * @param publicPaths paths anyone may call besides those features declare themselves (default: health probes and
 *     Prometheus metrics, which are served on the management port only, and the OpenAPI document with its UI)
 * @param initialKey an API key to make sure of at startup, for deployments without an identity provider
 */
@Validated
@ConfigurationProperties("mailroom.api.security")
record ApiSecurityProperties(@NotBlank @DefaultValue("account_id") String accountClaim,
		@NotEmpty @DefaultValue({ "preferred_username", "sub" }) List<String> actorClaims,
		@NotBlank @DefaultValue("roles") String roleClaim, @NotBlank @DefaultValue("mailroom-admin") String adminRole,
		@NotBlank @DefaultValue("mailroom-operator") String operatorRole,
		@NotNull @DefaultValue("90d") Duration keyLifetime, @NotNull @DefaultValue("365d") Duration maxKeyLifetime,
		@DefaultValue({ "/actuator/health", "/actuator/health/**", "/actuator/prometheus", "/v3/api-docs",
				"/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**" }) List<String> publicPaths,
		@Valid @DefaultValue InitialKey initialKey) {

	ApiSecurityProperties {
		if (keyLifetime.isNegative() || keyLifetime.isZero() || keyLifetime.compareTo(maxKeyLifetime) > 0) {
			throw new IllegalArgumentException("mailroom.api.security.key-lifetime must be positive and at most "
					+ "mailroom.api.security.max-key-lifetime (" + maxKeyLifetime + ")");
		}
	}

	/**
	 * The first API key of an account, given by the deployment (e.g. {@code MAILROOM_API_INITIAL_KEY} and
	 * {@code MAILROOM_API_INITIAL_KEY_ACCOUNT}); stored hashed at startup if it is not stored yet, as an admin
	 * key without expiry. Generate one with {@code echo mr_$(openssl rand -base64 32 | tr '+/' '-_' | tr -d '=')}.
	 *
	 * @param accountId the account the key belongs to
	 * @param name the key's name in the key list (default {@code initial})
	 * @param value the key itself: {@code mr_} and at least 32 random URL-safe characters; empty for none
	 */
	record InitialKey(String accountId, @DefaultValue("initial") String name, String value) {

		boolean configured() {
			return value != null && !value.isBlank();
		}

	}

}
