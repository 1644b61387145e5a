package io.mailroom.api.authorization;

import java.util.UUID;

import io.mailroom.api.security.PublicPath;

import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

/** What other features need from the authorization flow. */
@Component
public class Authorizations {

	private final AuthorizationProperties properties;

	private final AuthorizationAttempts attempts;

	Authorizations(AuthorizationProperties properties, AuthorizationAttempts attempts) {
		this.properties = properties;
		this.attempts = attempts;
	}

	/** The redirect URI admins register on their Microsoft app (Authentication &gt; Web &gt; Redirect URIs). */
	public String redirectUri() {
		return properties.redirectUri();
	}

	/**
	 * Forgets the started authorizations of a service whose credentials, tenant or login email changed, so
	 * that a sign-in begun for the old settings cannot complete.
	 */
	public void cancelStarted(UUID serviceId) {
		attempts.cancel(serviceId);
	}

	/** Microsoft's redirect reaches the callback without the admin's credentials: the state is its proof. */
	@Bean
	static PublicPath authorizationCallbackIsPublic(AuthorizationProperties properties) {
		return new PublicPath(properties.callbackPath());
	}

}
