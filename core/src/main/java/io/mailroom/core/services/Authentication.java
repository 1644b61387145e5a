package io.mailroom.core.services;

/** How a service logs in to its SMTP server. */
public sealed interface Authentication permits BasicAuthentication, MicrosoftOAuth2, GoogleOAuth2 {

	/** The SMTP login name: the username for basic auth, the login email for OAuth2. */
	String login();

}
