package io.mailroom.core.tokens;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where and how Mailroom talks to the Microsoft identity platform.
 *
 * @param authorityHost the login host: {@code https://login.microsoftonline.com} (default), national clouds
 *     such as {@code https://login.microsoftonline.us}, or the local sandbox
 * @param instanceDiscovery whether MSAL validates the host with Microsoft's instance discovery; must be
 *     off for hosts Microsoft does not know (the sandbox), else every token request fails
 * @param sslBundle a Spring SSL bundle to trust instead of the JVM's trust store (a private CA such as the
 *     sandbox's); empty for Microsoft
 * @param connectTimeout connect timeout for identity platform calls (MSAL has no useful default)
 * @param readTimeout read timeout for identity platform calls
 * @param smtpScope the delegated scope that allows SMTP submission ({@code https://outlook.office.com/SMTP.Send};
 *     national clouds use their own Outlook host)
 * @param appSmtpScope the app-only scope for SMTP ({@code https://outlook.office365.com/.default})
 * @param graphHost Microsoft Graph's base URL ({@code https://graph.microsoft.com}; national clouds and the
 *     sandbox have their own)
 * @param graphScope the delegated scope that allows Graph sendMail ({@code https://graph.microsoft.com/Mail.Send})
 * @param adminConsentRedirectUri where Microsoft sends an admin back after admin consent: a redirect URI
 *     registered on the app, normally the api's callback ({@code MAILROOM_PUBLIC_BASE_URL} + callback path)
 */
@Validated
@ConfigurationProperties("mailroom.identity")
public record IdentityPlatformProperties(@NotNull @DefaultValue("https://login.microsoftonline.com") URI authorityHost,
		@DefaultValue("true") boolean instanceDiscovery, String sslBundle,
		@NotNull @DefaultValue("5s") Duration connectTimeout, @NotNull @DefaultValue("10s") Duration readTimeout,
		@NotNull @DefaultValue("https://outlook.office.com/SMTP.Send") String smtpScope,
		@NotNull @DefaultValue("https://outlook.office365.com/.default") String appSmtpScope,
		@NotNull @DefaultValue("https://graph.microsoft.com") URI graphHost,
		@NotNull @DefaultValue("https://graph.microsoft.com/Mail.Send") String graphScope,
		@NotNull @DefaultValue("http://localhost:8080/oauth2/custom-smtp-token") String adminConsentRedirectUri) {

	public IdentityPlatformProperties {
		if (authorityHost != null && !"https".equals(authorityHost.getScheme())) {
			throw new IllegalArgumentException("mailroom.identity.authority-host must be an https URL (MSAL requires it)");
		}
		if (graphHost != null && !"https".equals(graphHost.getScheme())) {
			throw new IllegalArgumentException("mailroom.identity.graph-host must be an https URL");
		}
	}

}
