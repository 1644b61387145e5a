package io.mailroom.api.authorization;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The authorization flow's settings.
 *
 * @param publicBaseUrl where browsers reach this api, e.g. {@code https://mail.example.com}; the redirect URI
 *     admins register on their app is this plus {@code callbackPath} (default {@code http://localhost:8080})
 * @param callbackPath the path Microsoft redirects to (default {@code /oauth2/custom-smtp-token})
 * @param allowedReturnUrls where the callback may send the browser afterwards: a return URL must have the
 *     same scheme, host and port as one of these and a path under its path (default: none, so the callback
 *     shows its own page)
 * @param stateLifetime how long a started authorization may take (default 10 minutes, about the lifetime of
 *     Microsoft's authorization codes)
 * @param checkTenant whether a service's Tenant ID is looked up at Microsoft when it is saved and before an
 *     authorization starts, to catch the classic mistake of a tenant ID on a multi-tenant app (default true)
 */
@Validated
@ConfigurationProperties("mailroom.api.authorization")
record AuthorizationProperties(@NotNull @DefaultValue("http://localhost:8080") URI publicBaseUrl,
		@NotNull @Pattern(regexp = "/[A-Za-z0-9._~/-]*") @DefaultValue("/oauth2/custom-smtp-token") String callbackPath,
		@DefaultValue List<String> allowedReturnUrls, @NotNull @DefaultValue("10m") Duration stateLifetime,
		@DefaultValue("true") boolean checkTenant) {

	AuthorizationProperties {
		if (publicBaseUrl != null && (!publicBaseUrl.isAbsolute() || publicBaseUrl.getHost() == null)) {
			throw new IllegalArgumentException(
					"mailroom.api.authorization.public-base-url must be an absolute URL such as https://mail.example.com");
		}
	}

	/** The redirect URI: the public base URL and the callback path. */
	String redirectUri() {
		return publicBaseUrl.toString().replaceAll("/+$", "") + callbackPath;
	}

}
