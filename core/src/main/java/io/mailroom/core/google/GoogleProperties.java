package io.mailroom.core.google;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where Google's OAuth 2.0 endpoints are ({@code mailroom.google.*}), for the api (authorize URL, code redemption)
 * and the worker (refresh, service accounts).
 *
 * @param authorizationUri Google's authorization endpoint
 * @param tokenUri Google's token endpoint; service accounts' JWT bearer grants go here too, whatever their key says
 * @param scope the scope Gmail's SMTP accepts with XOAUTH2
 * @param sslBundle a Spring SSL bundle to trust instead of the JVM's trust store (the stand-in's CA); empty for
 *     the JVM's
 * @param connectTimeout connecting to Google's endpoints
 * @param readTimeout waiting for an answer of Google's endpoints
 */
@Validated
@ConfigurationProperties("mailroom.google")
public record GoogleProperties(
		@NotNull @DefaultValue("https://accounts.google.com/o/oauth2/v2/auth") URI authorizationUri,
		@NotNull @DefaultValue("https://oauth2.googleapis.com/token") URI tokenUri,
		@NotNull @DefaultValue("https://mail.google.com/") String scope, String sslBundle,
		@NotNull @DefaultValue("5s") Duration connectTimeout, @NotNull @DefaultValue("10s") Duration readTimeout) {

	public GoogleProperties {
		for (URI uri : new URI[] { authorizationUri, tokenUri }) {
			if (uri != null && !"https".equals(uri.getScheme())) {
				throw new IllegalArgumentException("mailroom.google.authorization-uri and token-uri must be https URLs");
			}
		}
	}

}
