package io.mailroom.core.failures;

import java.util.List;
import java.util.Locale;

import static io.mailroom.contracts.ErrorCategory.AUTHORIZATION;
import static io.mailroom.contracts.ErrorCategory.CONFIGURATION;
import static io.mailroom.contracts.ErrorCategory.PROVIDER_OUTAGE;
import static io.mailroom.contracts.ErrorCategory.THROTTLED;
import static io.mailroom.contracts.ErrorCategory.UNKNOWN;
import static io.mailroom.core.failures.Outcome.fails;
import static io.mailroom.core.failures.Outcome.holdsService;
import static io.mailroom.core.failures.Outcome.needsReauthorization;
import static io.mailroom.core.failures.Outcome.retries;

/**
 * Google's OAuth 2.0 errors (accounts.google.com's redirect, oauth2.googleapis.com/token) and what each means for
 * Mailroom. Google says little in {@code error} ({@code invalid_grant} covers a revoked grant, a password change, the
 * 7-day expiry of External apps in Testing, and a service account's unknown {@code sub}); its
 * {@code error_description} tells them apart, so rows match the error and, optionally, words of the description.
 * First match wins; 5xx and 429 answers are retried whatever they say.
 */
final class GoogleCatalogue {

	private static final String REAUTHORIZE_HINT = "Authorize the service again signed in as the login email, and if "
			+ "this comes back every 7 days, the OAuth consent screen of your Google Cloud project is External with "
			+ "publishing status Testing, whose authorizations Google ends after 7 days: publish the app (In production), "
			+ "or make it Internal if only your Workspace's accounts use it.";

	private static final List<Row> ROWS = List.of(
			row("invalid_grant", List.of("invalid email", "user id", "invalid_sub"), holdsService(CONFIGURATION),
					"Google does not know the mailbox the service account should act as.",
					"Check the service's login email: it must be a user of the Workspace domain whose admin set up "
							+ "domain-wide delegation.",
					HelpUrls.GOOGLE_DOMAIN_WIDE_DELEGATION),
			row("invalid_grant", List.of("jwt", "signature"), holdsService(CONFIGURATION),
					"Google refused the service account's signed request: its key was deleted or does not belong to it.",
					"Create a new JSON key for the service account in Google Cloud console (IAM & Admin > Service "
							+ "accounts > Keys) and upload it to the service.",
					HelpUrls.GOOGLE_DOMAIN_WIDE_DELEGATION),
			row("invalid_grant", List.of(), needsReauthorization(),
					"Google no longer honours the service's authorization: it was revoked, the user's password changed, "
							+ "or it expired.",
					REAUTHORIZE_HINT, HelpUrls.GOOGLE_REFRESH_TOKEN_EXPIRY),
			row("unauthorized_client", List.of(), holdsService(CONFIGURATION),
					"Google refused the service account: it is not allowed to act as the mailbox with the Gmail scope.",
					"A Workspace super admin must allow the service account's client ID for the scope "
							+ "https://mail.google.com/ in the Admin console (Security > Access and data control > API "
							+ "controls > Manage Domain Wide Delegation), then click Verify setup.",
					HelpUrls.GOOGLE_DOMAIN_WIDE_DELEGATION),
			row("invalid_client", List.of(), holdsService(CONFIGURATION),
					"Google does not accept the service's OAuth client ID or secret.",
					"Copy the Client ID and Client secret again from Google Cloud console (APIs & Services > "
							+ "Credentials > the OAuth client, type Web application) and save the service.",
					HelpUrls.GOOGLE_OAUTH_WEB_SERVER),
			row("admin_policy_enforced", List.of(), holdsService(CONFIGURATION),
					"The Workspace admin's policy does not allow this app to access Gmail.",
					"Ask your Workspace admin to trust the app (Admin console > Security > Access and data control > "
							+ "API controls > Manage third-party app access), then authorize again.",
					HelpUrls.GOOGLE_THIRD_PARTY_APPS),
			row("org_internal", List.of(), holdsService(CONFIGURATION),
					"The OAuth client's consent screen is Internal to another Google Workspace organization.",
					"Use an OAuth client of a Google Cloud project in your own organization, or set the consent "
							+ "screen's user type to External.",
					HelpUrls.GOOGLE_OAUTH_WEB_SERVER),
			row("redirect_uri_mismatch", List.of(), holdsService(CONFIGURATION),
					"Google refused the redirect URI: it is not registered on the OAuth client.",
					"Add Mailroom's redirect URI (shown on the service's page) under Authorized redirect URIs of the "
							+ "OAuth client in Google Cloud console, then authorize again.",
					HelpUrls.GOOGLE_OAUTH_WEB_SERVER),
			row("access_denied", List.of(), fails(AUTHORIZATION),
					"The sign-in at Google was cancelled, or consent was not given.",
					"Click Authorize again, sign in as the login email and allow Mailroom to send mail (for an External "
							+ "app in Testing, the login email must be one of its test users).",
					HelpUrls.GOOGLE_OAUTH_WEB_SERVER),
			row("invalid_scope", List.of(), holdsService(CONFIGURATION),
					"Google refused the scope https://mail.google.com/ for this app.",
					"Add the scope https://mail.google.com/ to the OAuth consent screen's data access, then authorize "
							+ "again.",
					HelpUrls.GOOGLE_OAUTH_WEB_SERVER),
			row("rate_limit_exceeded", List.of(), retries(THROTTLED),
					"Google's token endpoint asked Mailroom to slow down.", "Nothing to do: Mailroom retries shortly.",
					HelpUrls.GOOGLE_OAUTH_WEB_SERVER),
			row("temporarily_unavailable", List.of(), retries(PROVIDER_OUTAGE),
					"Google's sign-in service was temporarily unavailable.", OutageHint.TEXT, HelpUrls.GOOGLE_STATUS),
			row("server_error", List.of(), retries(PROVIDER_OUTAGE),
					"Google's sign-in service had an error on its side.", OutageHint.TEXT, HelpUrls.GOOGLE_STATUS));

	private static final Row OUTAGE = new Row(null, List.of(), retries(PROVIDER_OUTAGE),
			"Google's sign-in service did not answer as expected.", OutageHint.TEXT, HelpUrls.GOOGLE_STATUS);

	private static final Row REFUSED = new Row(null, List.of(), fails(UNKNOWN), "Google refused the request.",
			"Check the service's Google settings and authorize again; if it keeps failing, contact Mailroom support "
					+ "with the time it happened.",
			HelpUrls.GOOGLE_OAUTH_WEB_SERVER);

	private GoogleCatalogue() {
	}

	static Failure classify(String error, String description, Integer httpStatus) {
		String normalizedError = error == null ? "" : error.strip().toLowerCase(Locale.ROOT);
		String words = description == null ? "" : description.toLowerCase(Locale.ROOT);
		boolean outage = httpStatus != null && (httpStatus >= 500 || httpStatus == 429);
		Row row = outage ? OUTAGE : ROWS.stream()
			.filter((r) -> r.error().equals(normalizedError)
					&& (r.words().isEmpty() || r.words().stream().anyMatch(words::contains)))
			.findFirst()
			.orElse(REFUSED);
		String code = !normalizedError.isEmpty() ? normalizedError
				: httpStatus != null ? "HTTP_" + httpStatus : "GOOGLE_ERROR";
		String message = row == REFUSED && description != null && !description.isBlank()
				? "Google refused the request: " + description.strip() : row.message();
		return row.outcome().failure(code, message, row.hint(), row.helpUrl(), null);
	}

	/** Every listed row, for tests that hold the catalogue to the house rules. */
	static List<Row> rows() {
		return ROWS;
	}

	private static Row row(String error, List<String> words, Outcome outcome, String message, String hint,
			String helpUrl) {
		return new Row(error, words, outcome, message, hint, helpUrl);
	}

	/**
	 * A catalogue row.
	 *
	 * @param error the OAuth2 {@code error} value
	 * @param words words of the {@code error_description}, any of which must appear (none: any description)
	 */
	record Row(String error, List<String> words, Outcome outcome, String message, String hint, String helpUrl) {
	}

	private static final class OutageHint {

		static final String TEXT = "Nothing to do: Mailroom retries automatically; the Google Workspace Status "
				+ "Dashboard shows whether Google has an incident.";

	}

}
