package io.mailroom.api.security;

import io.mailroom.api.web.Caller;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

/** Reads the caller out of a validated JWT: the account from its account claim, the actor from the first name claim. */
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
		return new CallerAuthentication(new Caller(account, actor, Caller.Via.JWT));
	}

}
