package io.mailroom.api.security;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;

/**
 * One stateless filter chain: public paths open, everything else needs a caller from an API key or (when
 * a JWT decoder is configured) a bearer JWT for Mailroom's audience. No sessions, no CSRF tokens (no cookies
 * are ever issued, and Microsoft's form_post to the callback must get through), no login pages. What each
 * caller may do is its role's ({@link RoleEnforcement}).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	private static final Logger LOG = LoggerFactory.getLogger(SecurityConfiguration.class);

	@Bean
	SecurityFilterChain api(HttpSecurity http, ApiSecurityProperties properties, List<PublicPath> declared,
			ObjectProvider<JwtDecoder> jwtDecoder, ObjectProvider<OAuth2ResourceServerProperties> jwtSettings,
			ApiKeys keys, JsonMapper json, Clock clock) throws Exception {
		ProblemEntryPoint entryPoint = new ProblemEntryPoint(json);
		String[] open = Stream.concat(Stream.concat(properties.publicPaths().stream(), Stream.of("/error")),
				declared.stream().map(PublicPath::pattern)).toArray(String[]::new);
		http.csrf(AbstractHttpConfigurer::disable)
			.httpBasic(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable)
			.sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.authorizeHttpRequests(requests -> requests.requestMatchers(open).permitAll().anyRequest().authenticated())
			.exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(entryPoint))
			.addFilterBefore(new ApiKeyFilter(keys, entryPoint, clock), BearerTokenAuthenticationFilter.class);
		if (jwtDecoder.getIfAvailable() != null) {
			requireAudience(jwtSettings.getIfAvailable());
			http.oauth2ResourceServer(resourceServer -> resourceServer.bearerTokenResolver(jwtsOnly())
				.authenticationEntryPoint(entryPoint)
				.jwt(jwt -> jwt.jwtAuthenticationConverter(new JwtCallers(properties))));
		}
		else {
			LOG.info("No JWT issuer configured (spring.security.oauth2.resourceserver.jwt.*): only API keys are accepted");
		}
		return http.build();
	}

	/**
	 * A JWT of the identity provider is accepted only if it was issued for Mailroom: without an audience, any
	 * token the provider issued for another of its applications would do.
	 */
	private static void requireAudience(OAuth2ResourceServerProperties resourceServer) {
		List<String> audiences = resourceServer == null ? List.of() : resourceServer.getJwt().getAudiences();
		if (audiences == null || audiences.stream().allMatch(String::isBlank)) {
			throw new IllegalStateException("JWT callers are configured (spring.security.oauth2.resourceserver.jwt.*) "
					+ "but no audience: set spring.security.oauth2.resourceserver.jwt.audiences "
					+ "(SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_AUDIENCES) to the audience your identity provider "
					+ "puts in tokens for Mailroom, e.g. mailroom-api; without it a token issued for any other "
					+ "application of your identity provider would be accepted");
		}
	}

	/** Bearer tokens that are API keys are the API key filter's; the rest are JWTs. */
	private static BearerTokenResolver jwtsOnly() {
		DefaultBearerTokenResolver bearer = new DefaultBearerTokenResolver();
		return request -> {
			String token = bearer.resolve(request);
			return token == null || token.startsWith(ApiKeys.PREFIX) ? null : token;
		};
	}

	@Bean
	InitialApiKey initialApiKey(ApiSecurityProperties properties, ApiKeys keys, Clock clock) {
		return new InitialApiKey(properties.initialKey(), keys, clock);
	}

	/** Makes sure the deployment's initial API key is stored, once the schema is migrated. */
	static final class InitialApiKey {

		private final ApiSecurityProperties.InitialKey key;

		private final ApiKeys keys;

		private final Clock clock;

		InitialApiKey(ApiSecurityProperties.InitialKey key, ApiKeys keys, Clock clock) {
			this.key = key;
			this.keys = keys;
			this.clock = clock;
			if (key.configured()) {
				if (!ApiKeys.wellFormed(key.value())) {
					throw new IllegalArgumentException("mailroom.api.security.initial-key.value must be 'mr_' followed "
							+ "by at least 32 random URL-safe characters (A-Z, a-z, 0-9, '-', '_')");
				}
				if (key.accountId() == null || key.accountId().isBlank()) {
					throw new IllegalArgumentException(
							"mailroom.api.security.initial-key.account-id must name the account the initial key belongs to");
				}
			}
		}

		@EventListener(ApplicationReadyEvent.class)
		void store() {
			if (key.configured()) {
				boolean stored = keys.ensure(key.accountId(), key.name(), key.value(), Instant.now(clock));
				LOG.info("Initial API key '{}' of account {} {}", key.name(), key.accountId(),
						stored ? "stored" : "was stored already");
			}
		}

	}

}
