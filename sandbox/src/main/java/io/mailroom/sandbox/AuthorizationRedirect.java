package io.mailroom.sandbox;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the browser sends to the app's redirect URI at the end of a sign-in: a {@code POST} of a form
 * ({@code response_mode=form_post}, what MSAL4J asks for) or a {@code GET} with the parameters in the query.
 *
 * @param target the redirect URI, without the parameters
 * @param method {@code POST} or {@code GET}
 * @param parameters {@code code}, {@code state}, {@code session_state}; or {@code error},
 * {@code error_description}, {@code error_uri}, {@code state}
 */
public record AuthorizationRedirect(URI target, String method, Map<String, String> parameters) {

	private static final Pattern AADSTS = Pattern.compile("^AADSTS(\\d+)");

	public AuthorizationRedirect {
		// In the order the identity platform sent them.
		parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
	}

	/** The authorization code; fails with the error description if the redirect carries an error instead. */
	public String code() {
		String code = this.parameters.get("code");
		if (code == null) {
			throw new IllegalStateException("The sign-in ended with " + this.parameters.get("error") + ": "
					+ this.parameters.get("error_description"));
		}
		return code;
	}

	public Optional<String> state() {
		return parameter("state");
	}

	/** The OAuth error, e.g. {@code access_denied}. */
	public Optional<String> error() {
		return parameter("error");
	}

	public Optional<String> errorDescription() {
		return parameter("error_description");
	}

	/** The AADSTS code of an error redirect, e.g. 65004. */
	public OptionalInt aadsts() {
		Matcher code = AADSTS.matcher(this.parameters.getOrDefault("error_description", ""));
		return code.find() ? OptionalInt.of(Integer.parseInt(code.group(1))) : OptionalInt.empty();
	}

	public Optional<String> parameter(String name) {
		return Optional.ofNullable(this.parameters.get(name));
	}

	/** The form-urlencoded parameters: the body of the POST, or the query of the GET. */
	public String encodedParameters() {
		return Http.encode(this.parameters);
	}

	/** The URI the browser requests: the target, with the parameters for a GET. */
	public URI uri() {
		if (this.method.equals("POST")) {
			return this.target;
		}
		String separator = (this.target.getRawQuery() == null) ? "?" : "&";
		return URI.create(this.target + separator + encodedParameters());
	}

}
