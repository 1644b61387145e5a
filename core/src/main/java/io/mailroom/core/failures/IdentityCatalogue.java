package io.mailroom.core.failures;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import static io.mailroom.contracts.ErrorCategory.CONFIGURATION;
import static io.mailroom.contracts.ErrorCategory.PROVIDER_OUTAGE;
import static io.mailroom.contracts.ErrorCategory.UNKNOWN;
import static io.mailroom.core.failures.Outcome.fails;
import static io.mailroom.core.failures.Outcome.holdsService;
import static io.mailroom.core.failures.Outcome.needsReauthorization;
import static io.mailroom.core.failures.Outcome.retries;

/**
 * Microsoft identity platform errors (MICROSOFT-FACTS sections 1 and 3) from the token endpoint and the
 * authorize redirect, and what each means for the service.
 *
 * <p>A listed AADSTS code decides; an unlisted one is classified by the OAuth2 {@code error} value, after
 * the signs of an outage on Microsoft's side (which are worth retrying whatever the error says).
 */
final class IdentityCatalogue {

	private static final Map<Integer, Row> ROWS = index(
			// The grant is gone: mail is held until an admin authorizes the service again.
			row(70008, needsReauthorization(), "Microsoft's authorization for this service has expired.",
					"Authorize the service again, and when signing in, finish within about ten minutes of clicking "
							+ "Authorize."),
			row(700082, needsReauthorization(),
					"The authorization expired because the service was not used for 90 days.",
					"Authorize the service again, and send through it (or test it) at least once every 90 days to "
							+ "keep the authorization alive."),
			row(50173, needsReauthorization(),
					"The authorization was revoked, usually because an admin reset the login user's password or "
							+ "revoked their sessions.",
					"Authorize the service again, signed in as the login email, once any password reset is finished."),
			row(70043, needsReauthorization(), "A Conditional Access sign-in frequency policy ended the authorization.",
					"Authorize the service again, and to stop this recurring, ask your Entra admin to exempt the login "
							+ "user or this app from the sign-in frequency policy."),
			row(65001, needsReauthorization(),
					"Nobody has consented to the permissions Mailroom needs (SMTP.Send and offline_access) for this "
							+ "app.",
					"Authorize the service again and accept the permissions, or have an admin grant consent for the "
							+ "organization in the app registration's API permissions."),
			row(50076, needsReauthorization(), "Microsoft requires multi-factor authentication for this sign-in.",
					"Authorize the service again and complete the MFA prompt in the browser."),
			row(50079, needsReauthorization(),
					"The login user must register for multi-factor authentication before signing in.",
					"Have the login user register MFA at https://aka.ms/mfasetup, then authorize the service again."),
			row(70000, needsReauthorization(), "Microsoft no longer accepts the stored authorization.",
					"Authorize the service again so that Microsoft issues a new grant for the permissions Mailroom "
							+ "asks for."),
			row(53003, needsReauthorization(), "A Conditional Access policy of your organization blocked the sign-in.",
					"Ask your Entra admin to find the blocked sign-in under Entra ID > Sign-in logs and allow it in "
							+ "the Conditional Access policy that applied, then authorize the service again."),
			row(530035, needsReauthorization(), "Microsoft Entra security defaults blocked the sign-in as unsafe.",
					"Ask your Entra admin to review the blocked sign-in under Entra ID > Sign-in logs (security "
							+ "defaults allow no exceptions, so allowing it means moving to Conditional Access), "
							+ "then authorize the service again."),
			row(54005, needsReauthorization(), "Microsoft had already redeemed this authorization code.",
					"Click Authorize again to start a fresh sign-in, because an authorization code works only once."),
			row(50058, needsReauthorization(),
					"Microsoft could not sign the user in without asking, because nobody is signed in to Microsoft "
							+ "in this browser.",
					"Click Authorize again and sign in as the login email when Microsoft asks."),
			row(50057, needsReauthorization(), "The login user's account is disabled in Microsoft Entra ID.",
					"Ask your Entra admin to enable the account, or choose another login email, then authorize the "
							+ "service again."),
			row(65004, needsReauthorization(), "The person signing in declined the permissions Mailroom asked for.",
					"Click Authorize again and accept the permissions, or ask an admin to grant consent for the whole "
							+ "organization."),
			row(90094, needsReauthorization(),
					"An admin must consent to the permissions Mailroom asks for before users can authorize it.",
					"Ask a Global or Application admin to grant admin consent in the app registration's API "
							+ "permissions, then authorize the service again."),
			row(501481, needsReauthorization(),
					"Microsoft could not finish the sign-in because its PKCE check did not match, usually because "
							+ "Authorize was started twice.",
					"Close other Authorize windows and click Authorize once more."),

			// The service or its app registration is set up wrongly: mail is held until it is fixed.
			row(7000215, holdsService(CONFIGURATION), "Microsoft rejected the service's client secret.",
					"The secret ID was probably pasted instead of the secret VALUE: copy the Value column under "
							+ "Certificates & secrets (shown only right after creating a secret, so create a new one "
							+ "if needed) into the service."),
			row(7000222, holdsService(CONFIGURATION), "The service's client secret has expired.",
					"Create a new client secret in the app registration's Certificates & secrets and update the "
							+ "service with its Value."),
			row(7000218, holdsService(CONFIGURATION), "Microsoft expected a client secret and got none.",
					"Enter the Value of a client secret from the app registration's Certificates & secrets in the "
							+ "service."),
			// Tenant ID: empty for a multi-tenant app (the seed's bold warning), required for a single-tenant one.
			row(90002, holdsService(CONFIGURATION), "Microsoft found no tenant for the service's Tenant ID.",
					"Leave Tenant ID empty for a multi-tenant app, and for a single-tenant app copy the Directory "
							+ "(tenant) ID from the app registration's Overview page (a national cloud tenant also "
							+ "needs that cloud's sign-in host)."),
			row(50020, holdsService(CONFIGURATION),
					"The account that signed in belongs to another organization than the one in the service's "
							+ "Tenant ID.",
					"Leave Tenant ID empty for a multi-tenant app (or enter the mailbox's own tenant), then sign in "
							+ "as the login email and authorize again."),
			row(50194, holdsService(CONFIGURATION),
					"The app is single-tenant, so Microsoft needs the service's Tenant ID.",
					"Enter the Directory (tenant) ID from the app registration's Overview page, or make the app "
							+ "multi-tenant under Authentication > Supported account types."),
			row(700016, holdsService(CONFIGURATION),
					"Microsoft found no app with the service's Client ID in this organization.",
					"Check the Client ID against the Application (client) ID on the app registration's Overview page; "
							+ "if the app is registered in another organization, it must be multi-tenant and the "
							+ "Tenant ID left empty."),
			row(7000112, holdsService(CONFIGURATION), "The app is disabled in your organization.",
					"Ask your Entra admin to enable it under Enterprise applications > the app > Properties > Enabled "
							+ "for users to sign in."),
			row(50011, holdsService(CONFIGURATION), "The redirect URI Mailroom uses is not registered on the app.",
					"Add Mailroom's redirect URI, exactly as shown on the service page, under the app registration's "
							+ "Authentication > Web > Redirect URIs."),
			row(9002325, holdsService(CONFIGURATION),
					"Microsoft treats the redirect URI as a single-page app's, which this sign-in cannot use.",
					"Register Mailroom's redirect URI under the Web platform, not Single-page application, on the app "
							+ "registration's Authentication page."),
			row(70011, holdsService(CONFIGURATION), "Microsoft rejected the permissions (scopes) Mailroom asked for.",
					"Check the service's scopes: delegated access needs https://outlook.office.com/SMTP.Send with "
							+ "offline_access, and app-only access needs https://outlook.office365.com/.default."),
			row(500011, holdsService(CONFIGURATION),
					"Exchange Online is not available to the app in this organization.",
					"Ask an admin of the organization to consent to the app, and check that the organization has "
							+ "Exchange Online mailboxes."),
			// Malformed request: a bad stored token (invalid_grant) needs a new grant, anything else is setup.
			row(9002313, null, "Microsoft refused the request as malformed.",
					"Authorize the service again, and if it keeps happening, contact Mailroom support with the time "
							+ "it happened."),

			// Microsoft's side.
			row(90033, retries(PROVIDER_OUTAGE), "Microsoft's sign-in service had a transient error.",
					"Nothing to do: Mailroom retries automatically."));

	/** OAuth2 {@code error} values that mean the user's grant is missing or no longer honoured. */
	private static final Set<String> GRANT_GONE = Set.of("invalid_grant", "interaction_required", "login_required",
			"consent_required", "access_denied");

	/** OAuth2 {@code error} values that mean the app's own credentials or registration are wrong. */
	private static final Set<String> APP_REJECTED = Set.of("invalid_client", "unauthorized_client");

	private static final Set<String> OUTAGE = Set.of("temporarily_unavailable", "server_error");

	private static final Row GRANT_GONE_ROW = row(0, needsReauthorization(),
			"Microsoft no longer accepts the service's authorization.",
			"Authorize the service again, signed in as the login email.");

	private static final Row APP_REJECTED_ROW = row(0, holdsService(CONFIGURATION),
			"Microsoft did not accept the service's app credentials.",
			"Check the Client ID and client secret against the app registration (create a new secret under "
					+ "Certificates & secrets if needed), then update the service.");

	private static final Row REFUSED_ROW = row(0, fails(CONFIGURATION),
			"Microsoft's identity platform refused the request.",
			"Check the service's Client ID, Tenant ID and client secret against the app registration, then authorize "
					+ "the service again.");

	private static final Row OUTAGE_ROW = row(0, retries(PROVIDER_OUTAGE),
			"Microsoft's sign-in service is temporarily unavailable.",
			"Nothing to do: Mailroom retries automatically, and if it lasts, Service health in the Microsoft 365 "
					+ "admin center shows whether Microsoft has an incident.");

	private static final Row UNKNOWN_ROW = row(0, fails(UNKNOWN), "Microsoft's identity platform reported an error.",
			"Authorize the service again, and if it keeps failing, contact Mailroom support with the time it "
					+ "happened.");

	private IdentityCatalogue() {
	}

	static Failure classify(String error, Integer aadstsCode, String description, Integer httpStatus) {
		Integer code = (aadstsCode != null) ? aadstsCode : found(description, error);
		String normalizedError = (error != null) ? error.strip().toLowerCase(Locale.ROOT) : "";
		Row listed = (code != null) ? ROWS.get(code) : null;
		if (listed != null) {
			Outcome outcome = (listed.outcome() != null) ? listed.outcome()
					: GRANT_GONE.contains(normalizedError) ? needsReauthorization() : holdsService(CONFIGURATION);
			return outcome.failure(codeString(code, error, httpStatus), listed.message(), listed.hint(),
					helpUrl(code), null);
		}
		Row fallback = outage(normalizedError, httpStatus) ? OUTAGE_ROW : byError(normalizedError);
		if (fallback == REFUSED_ROW && normalizedError.isEmpty() && code == null) {
			fallback = UNKNOWN_ROW;
		}
		String message = microsoftsWords(description).map((words) -> "Microsoft refused the request: " + words)
			.orElse(fallback.message());
		String helpUrl = (code != null) ? helpUrl(code)
				: (fallback == OUTAGE_ROW) ? HelpUrls.SERVICE_HEALTH : HelpUrls.IDENTITY_ERROR_CODES;
		return fallback.outcome().failure(codeString(code, error, httpStatus), message, fallback.hint(), helpUrl, null);
	}

	static String helpUrl(int aadstsCode) {
		return HelpUrls.IDENTITY_ERROR_LOOKUP + aadstsCode;
	}

	/** Every listed row, for tests that hold the whole catalogue to the house rules. */
	static Map<Integer, Row> rows() {
		return ROWS;
	}

	private static Row byError(String error) {
		if (GRANT_GONE.contains(error)) {
			return GRANT_GONE_ROW;
		}
		if (APP_REJECTED.contains(error)) {
			return APP_REJECTED_ROW;
		}
		return REFUSED_ROW;
	}

	/** Microsoft's own words are worth retrying on whatever the error, as are 5xx and 429 answers. */
	private static boolean outage(String error, Integer httpStatus) {
		return OUTAGE.contains(error) || (httpStatus != null && (httpStatus >= 500 || httpStatus == 429));
	}

	private static Integer found(String description, String error) {
		OptionalInt inDescription = AadstsCodes.find(description);
		if (inDescription.isPresent()) {
			return inDescription.getAsInt();
		}
		OptionalInt inError = AadstsCodes.find(error);
		return inError.isPresent() ? inError.getAsInt() : null;
	}

	private static String codeString(Integer code, String error, Integer httpStatus) {
		if (code != null) {
			return "AADSTS" + code;
		}
		if (error != null && !error.isBlank()) {
			return error.strip();
		}
		return (httpStatus != null) ? "HTTP_" + httpStatus : "IDENTITY_ERROR";
	}

	/**
	 * The first line of an {@code error_description} without its code, as one sentence: for a code the
	 * catalogue does not know, Microsoft's words are the most specific thing there is. The trace and
	 * correlation IDs on the following lines are left out.
	 */
	private static Optional<String> microsoftsWords(String description) {
		if (description == null || description.isBlank()) {
			return Optional.empty();
		}
		String line = description.strip().split("\r?\n|\r|\\\\r\\\\n", 2)[0].strip();
		line = line.replaceFirst("(?i)^AADSTS\\d+\\s*:\\s*", "").strip();
		if (line.isEmpty()) {
			return Optional.empty();
		}
		if (line.length() > 240) {
			line = line.substring(0, 239).strip() + "…";
		}
		return Optional.of(line.endsWith(".") || line.endsWith("…") ? line : line + ".");
	}

	private static Row row(int code, Outcome outcome, String message, String hint) {
		return new Row(code, outcome, message, hint);
	}

	private static Map<Integer, Row> index(Row... rows) {
		Map<Integer, Row> byCode = new LinkedHashMap<>();
		for (Row row : rows) {
			if (byCode.put(row.code(), row) != null) {
				throw new IllegalStateException("AADSTS" + row.code() + " is listed twice");
			}
		}
		return Collections.unmodifiableMap(byCode);
	}

	/**
	 * A catalogue row.
	 *
	 * @param code the AADSTS number
	 * @param outcome what the code means; {@code null} when the {@code error} value decides: a grant error
	 *     ({@code invalid_grant}…) needs re-authorization, anything else is a configuration error
	 * @param message what happened, in one sentence
	 * @param hint what to do, in one sentence
	 */
	record Row(int code, Outcome outcome, String message, String hint) {
	}

}
