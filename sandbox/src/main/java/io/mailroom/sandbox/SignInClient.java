package io.mailroom.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

/**
 * A person in a browser, for tests: opens the authorize URL, fills in the account on the consent page,
 * clicks Accept or Cancel, and returns what the browser would then send to the app. Real HTTP against the
 * sandbox; it reads only the sandbox's own pages.
 */
final class SignInClient {

	private static final Pattern FORM_ACTION = Pattern.compile("<form\\b[^>]*\\baction=\"([^\"]*)\"");

	private static final Pattern HIDDEN_INPUT = Pattern.compile("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\"");

	private static final Pattern ERROR = Pattern.compile("<div id=\"error\" data-aadsts=\"(\\d*)\">([^<]*)</div>");

	private final HttpClient http;

	SignInClient(SSLContext trust) {
		this.http = HttpClient.newBuilder()
			.sslContext(trust)
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(10))
			.build();
	}

	AuthorizationRedirect signIn(URI authorizeUrl, String account, Consent consent) {
		HttpResponse<String> page = send(HttpRequest.newBuilder(authorizeUrl).GET());
		if (!page.body().contains("id=\"consent\"")) {
			return redirect(page);
		}
		Map<String, String> form = new LinkedHashMap<>(hiddenInputs(page.body()));
		form.put("login", account);
		form.put("decision", (consent == Consent.ACCEPT) ? "accept" : "cancel");
		URI action = authorizeUrl.resolve(Http.unescape(match(FORM_ACTION, page.body())));
		HttpResponse<String> answer = send(HttpRequest.newBuilder(action)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(Http.encode(form))));
		return redirect(answer);
	}

	/** Opens an admin-consent URL and accepts or declines as {@code admin}; returns the redirect's target. */
	URI adminConsent(URI adminConsentUrl, String admin, Consent consent) {
		HttpResponse<String> page = send(HttpRequest.newBuilder(adminConsentUrl).GET());
		if (page.body().contains("id=\"consent\"")) {
			Map<String, String> form = new LinkedHashMap<>(hiddenInputs(page.body()));
			form.put("login", admin);
			form.put("decision", (consent == Consent.ACCEPT) ? "accept" : "cancel");
			URI action = adminConsentUrl.resolve(Http.unescape(match(FORM_ACTION, page.body())));
			page = send(HttpRequest.newBuilder(action)
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(Http.encode(form))));
		}
		if (page.statusCode() == 302) {
			return URI.create(page.headers().firstValue("Location").orElseThrow());
		}
		redirect(page);
		throw new IllegalStateException("Unexpected admin consent response " + page.statusCode());
	}

	private AuthorizationRedirect redirect(HttpResponse<String> response) {
		if (response.statusCode() == 302 || response.statusCode() == 303) {
			String location = response.headers().firstValue("Location").orElseThrow();
			int fragment = location.indexOf('#');
			int query = location.indexOf('?');
			int split = (fragment >= 0) ? fragment : query;
			if (split < 0) {
				return new AuthorizationRedirect(URI.create(location), "GET", Map.of());
			}
			return new AuthorizationRedirect(URI.create(location.substring(0, split)), "GET",
					Http.decode(location.substring(split + 1)));
		}
		String body = response.body();
		Matcher error = ERROR.matcher(body);
		if (error.find()) {
			String code = error.group(1);
			throw new SignInFailed(code.isEmpty() ? 0 : Integer.parseInt(code), Http.unescape(error.group(2)));
		}
		if (body.contains("name=\"hiddenform\"")) {
			return new AuthorizationRedirect(URI.create(Http.unescape(match(FORM_ACTION, body))), "POST",
					hiddenInputs(body));
		}
		throw new IllegalStateException("Unexpected sign-in response " + response.statusCode() + ": " + body);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return this.http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException("Sign-in request failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Sign-in interrupted", ex);
		}
	}

	private static Map<String, String> hiddenInputs(String page) {
		Map<String, String> inputs = new LinkedHashMap<>();
		Matcher input = HIDDEN_INPUT.matcher(page);
		while (input.find()) {
			inputs.put(Http.unescape(input.group(1)), Http.unescape(input.group(2)));
		}
		return inputs;
	}

	private static String match(Pattern pattern, String page) {
		Matcher matcher = pattern.matcher(page);
		if (!matcher.find()) {
			throw new IllegalStateException("Not a page of the sandbox's sign-in: " + page);
		}
		return matcher.group(1);
	}

}
