package io.mailroom.api.authorization;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The allow-list of return URLs, and how an outcome travels back on one. Matching is by parsed URL, not by
 * string prefix, so {@code https://app.example.com.evil.test} never passes for {@code https://app.example.com}.
 */
@Component
class ReturnUrls {

	private final List<URI> allowed;

	ReturnUrls(AuthorizationProperties properties) {
		this.allowed = properties.allowedReturnUrls()
			.stream()
			.filter(prefix -> !prefix.isBlank())
			.map(prefix -> URI.create(prefix.strip()))
			.toList();
		for (URI prefix : allowed) {
			if (!prefix.isAbsolute() || prefix.getHost() == null) {
				throw new IllegalArgumentException("mailroom.api.authorization.allowed-return-urls must be absolute "
						+ "URLs such as https://app.example.com/settings/smtp; '" + prefix + "' is not");
			}
		}
	}

	/** Whether the browser may be sent to {@code url} after an authorization. */
	boolean allowed(String url) {
		URI candidate;
		try {
			candidate = URI.create(url);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
		if (!candidate.isAbsolute() || candidate.getHost() == null || candidate.getRawUserInfo() != null
				|| !List.of("http", "https").contains(candidate.getScheme().toLowerCase(Locale.ROOT))) {
			return false;
		}
		return allowed.stream().anyMatch(prefix -> within(candidate, prefix));
	}

	/** The return URL with the outcome as query parameters. */
	static URI withOutcome(String returnUrl, AuthorizationOutcome outcome) {
		UriComponentsBuilder url = UriComponentsBuilder.fromUriString(returnUrl)
			.queryParam("authorization", outcome.succeeded() ? "succeeded" : "failed")
			.queryParam("serviceId", outcome.serviceId());
		if (outcome.error() != null) {
			url.queryParam("code", outcome.error().code()).queryParam("message", outcome.error().message());
			if (outcome.error().hint() != null) {
				url.queryParam("hint", outcome.error().hint());
			}
			if (outcome.error().helpUrl() != null) {
				url.queryParam("helpUrl", outcome.error().helpUrl());
			}
		}
		return url.encode().build().toUri();
	}

	private static boolean within(URI candidate, URI prefix) {
		if (!candidate.getScheme().equalsIgnoreCase(prefix.getScheme())
				|| !candidate.getHost().equalsIgnoreCase(prefix.getHost()) || port(candidate) != port(prefix)) {
			return false;
		}
		String base = Objects.requireNonNullElse(prefix.getRawPath(), "");
		String path = Objects.requireNonNullElse(candidate.getRawPath(), "");
		if (base.isEmpty() || base.equals("/")) {
			return true;
		}
		if (path.contains("/../") || path.endsWith("/..")) {
			return false;
		}
		return path.equals(base) || path.startsWith(base.endsWith("/") ? base : base + "/");
	}

	private static int port(URI uri) {
		if (uri.getPort() >= 0) {
			return uri.getPort();
		}
		return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
	}

}
