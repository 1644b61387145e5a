package io.mailroom.api.security;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import io.mailroom.api.web.Caller;
import io.mailroom.api.web.Role;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

/**
 * Reads the caller out of a validated JWT: the account from its account claim, the actor from the first name
 * claim, the role from the role claim (admin if it names the admin role, else operator if it names that).
 */
final class JwtCallers implements Converter<Jwt, AbstractAuthenticationToken> {

	private final ApiSecurityProperties properties;

	JwtCallers(ApiSecurityProperties properties) {
		this.properties = properties;
	}

	@Override
	public AbstractAuthenticationToken convert(Jwt jwt) {
		String account = jwt.getClaimAsString(properties.accountClaim());
		if (account == null || account.isBlank()) {
			throw new InvalidBearerTokenException(
					"The token has no '" + properties.accountClaim() + "' claim naming the account");
		}
		String actor = properties.actorClaims()
			.stream()
			.map(jwt::getClaimAsString)
			.filter(value -> value != null && !value.isBlank())
			.findFirst()
			.orElse("unknown");
		return new CallerAuthentication(new Caller(account, actor, Caller.Via.JWT, role(jwt), null));
	}

	private Role role(Jwt jwt) {
		List<String> roles = roles(jwt.getClaims());
		if (roles.contains(properties.adminRole())) {
			return Role.ADMIN;
		}
		if (roles.contains(properties.operatorRole())) {
			return Role.OPERATOR;
		}
		throw new InvalidBearerTokenException("The token's '" + properties.roleClaim() + "' claim names neither '"
				+ properties.adminRole() + "' nor '" + properties.operatorRole() + "': ask your identity provider's "
				+ "admin to give you one of these roles for Mailroom");
	}

	/** The values of the role claim, following a dotted path into nested objects. */
	private List<String> roles(Map<String, Object> claims) {
		Object value = claims;
		for (String step : properties.roleClaim().split("\\.")) {
			value = value instanceof Map<?, ?> map ? map.get(step) : null;
		}
		if (value instanceof Collection<?> values) {
			return values.stream().map(String::valueOf).toList();
		}
		if (value instanceof String text) {
			return Arrays.stream(text.split("[\\s,]+")).filter(role -> !role.isEmpty()).toList();
		}
		return List.of();
	}

}
