package io.mailroom.api.security;

import java.io.IOException;
import java.time.Clock;

import io.mailroom.api.web.Caller;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates requests that present an API key, as {@code X-Api-Key: mr_…} or
 * {@code Authorization: Bearer mr_…}. A presented key that is not an active key of some account (unknown,
 * revoked or expired) ends the request with 401; requests without a key pass on (to JWT validation, or to the
 * 401 for anonymous callers).
 */
final class ApiKeyFilter extends OncePerRequestFilter {

	static final String HEADER = "X-Api-Key";

	private final ApiKeys keys;

	private final ProblemEntryPoint entryPoint;

	private final Clock clock;

	private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

	ApiKeyFilter(ApiKeys keys, ProblemEntryPoint entryPoint, Clock clock) {
		this.keys = keys;
		this.entryPoint = entryPoint;
		this.clock = clock;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String presented = presentedKey(request);
		if (presented == null) {
			chain.doFilter(request, response);
			return;
		}
		var key = keys.authenticate(presented, clock.instant());
		if (key.isEmpty() || key.get().expiredAt(clock.instant())) {
			contexts.clearContext();
			entryPoint.commence(request, response, key.isEmpty() ? new ProblemEntryPoint.BadApiKey()
					: new ProblemEntryPoint.ExpiredApiKey(key.get().expiresAt()));
			return;
		}
		ApiKeys.ApiKey found = key.get();
		SecurityContext context = contexts.createEmptyContext();
		context.setAuthentication(new CallerAuthentication(
				new Caller(found.accountId(), found.actor(), Caller.Via.API_KEY, found.role(), found.expiresAt())));
		contexts.setContext(context);
		try {
			chain.doFilter(request, response);
		}
		finally {
			contexts.clearContext();
		}
	}

	/** The key in {@code X-Api-Key}, or a bearer token that is an API key; null when there is none. */
	static String presentedKey(HttpServletRequest request) {
		String header = request.getHeader(HEADER);
		if (header != null && !header.isBlank()) {
			return header.strip();
		}
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			String token = authorization.substring(7).strip();
			if (token.startsWith(ApiKeys.PREFIX)) {
				return token;
			}
		}
		return null;
	}

}
