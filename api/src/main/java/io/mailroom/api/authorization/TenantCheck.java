package io.mailroom.api.authorization;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

import io.mailroom.core.failures.AadstsCodes;
import io.mailroom.core.failures.Failure;
import io.mailroom.core.failures.Failures;
import io.mailroom.core.tokens.IdentityPlatformProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.ssl.SslBundles;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Asks the identity platform whether it knows a tenant, through the tenant's OpenID Connect discovery
 * document: Microsoft answers an unknown tenant with AADSTS90002 there, the same code the sign-in page would
 * show an admin with no way back to Mailroom. Checking first turns that dead end into a message on the
 * service form. When Microsoft cannot be reached the check says nothing rather than block the admin.
 */
@Component
public class TenantCheck {

	private static final Logger LOG = LoggerFactory.getLogger(TenantCheck.class);

	private final IdentityPlatformProperties identity;

	private final AuthorizationProperties properties;

	private final HttpClient http;

	private final JsonMapper json = JsonMapper.builder().build();

	TenantCheck(IdentityPlatformProperties identity, AuthorizationProperties properties, SslBundles sslBundles) {
		this.identity = identity;
		this.properties = properties;
		HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(identity.connectTimeout());
		if (StringUtils.hasText(identity.sslBundle())) {
			builder.sslContext(sslBundles.getBundle(identity.sslBundle()).createSslContext());
		}
		this.http = builder.build();
	}

	/**
	 * Microsoft's refusal of {@code tenantId}, classified (with the catalogue's hint for 90002, which tells
	 * to leave Tenant ID empty for a multi-tenant app); empty when the tenant exists, the check is switched
	 * off, or Microsoft could not be asked.
	 */
	public Optional<Failure> refusal(String tenantId) {
		if (!properties.checkTenant() || !StringUtils.hasText(tenantId)) {
			return Optional.empty();
		}
		URI discovery = URI.create(identity.authorityHost().toString().replaceAll("/+$", "") + "/" + tenantId
				+ "/v2.0/.well-known/openid-configuration");
		try {
			HttpResponse<String> response = http.send(
					HttpRequest.newBuilder(discovery).timeout(identity.readTimeout()).GET().build(),
					HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 400 && response.statusCode() != 404) {
				return Optional.empty();
			}
			JsonNode body = json.readTree(response.body());
			String description = body.path("error_description").asString("");
			Integer code = body.path("error_codes").path(0).isNumber() ? body.path("error_codes").path(0).asInt()
					: AadstsCodes.find(description).stream().boxed().findFirst().orElse(null);
			if (code == null) {
				return Optional.empty();
			}
			LOG.info("The identity platform refuses tenant {} with AADSTS{}", tenantId, code);
			return Optional.of(Failures.identity(body.path("error").asString(null), code, description,
					response.statusCode()));
		}
		catch (IOException | RuntimeException ex) {
			LOG.info("Could not check tenant {} at the identity platform: {}", tenantId, ex.toString());
			return Optional.empty();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Optional.empty();
		}
	}

}
