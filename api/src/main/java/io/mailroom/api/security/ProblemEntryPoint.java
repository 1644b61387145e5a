package io.mailroom.api.security;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import io.mailroom.api.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * Answers a request without valid credentials with a 401 problem and a {@code WWW-Authenticate} challenge
 * (RFC 6750). The detail says what was wrong with the credential, never what it was.
 */
final class ProblemEntryPoint implements AuthenticationEntryPoint {

	private final JsonMapper json;

	ProblemEntryPoint(JsonMapper json) {
		this.json = json;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
			throws IOException {
		boolean invalidToken = failure instanceof OAuth2AuthenticationException
				|| failure instanceof InvalidBearerTokenException || failure instanceof BadApiKey
				|| failure instanceof ExpiredApiKey;
		String detail = invalidToken ? failure.getMessage() + "."
				: "Send a bearer JWT of your identity provider or an API key of your account "
						+ "(Authorization: Bearer mr_… or X-Api-Key).";
		response.setStatus(HttpStatus.UNAUTHORIZED.value());
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE,
				invalidToken ? "Bearer error=\"invalid_token\"" : "Bearer");
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("type", Problems.UNAUTHENTICATED.toString());
		problem.put("title", "Authentication required");
		problem.put("status", HttpStatus.UNAUTHORIZED.value());
		problem.put("detail", detail);
		problem.put("instance", request.getRequestURI());
		json.writeValue(response.getOutputStream(), problem);
	}

	/** An API key that is malformed, unknown or revoked. */
	static final class BadApiKey extends AuthenticationException {

		BadApiKey() {
			super("The API key is unknown or revoked");
		}

	}

	/** An API key past its expiry. */
	static final class ExpiredApiKey extends AuthenticationException {

		ExpiredApiKey(java.time.Instant expiredAt) {
			super("The API key expired at " + expiredAt + ": ask an admin of your account for a new one (POST "
					+ "/api/api-keys)");
		}

	}

}
