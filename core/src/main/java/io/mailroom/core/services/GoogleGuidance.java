package io.mailroom.core.services;

import io.mailroom.contracts.ErrorCategory;
import io.mailroom.contracts.ErrorDetails;
import io.mailroom.core.failures.Failure;
import io.mailroom.core.failures.ServiceImpact;

/**
 * What a Google Workspace admin must do for a service, written out for that service: the domain-wide delegation a
 * service account needs, and the hints of failures nobody can fix by signing in again. Plain functions; the api
 * shows them on the service's page, the worker puts them in hints.
 */
public final class GoogleGuidance {

	private static final String DOMAIN_WIDE_DELEGATION = "https://support.google.com/a/answer/162106";

	private GoogleGuidance() {
	}

	/** The Admin console steps that let the service's service account act as its mailbox with Gmail's scope. */
	public static String domainWideDelegation(GoogleOAuth2 google) {
		String clientId = google.serviceAccount() == null ? "<the service account's client ID>"
				: google.serviceAccount().clientId();
		return "As a super admin of the Workspace of " + google.loginEmail() + ", in the Google Admin console "
				+ "(admin.google.com): Security > Access and data control > API controls > Manage Domain Wide "
				+ "Delegation > Add new. Client ID: " + clientId + ". OAuth scopes: " + GoogleOAuth2.MAIL_SCOPE
				+ ". Authorize, then click Verify setup (the change can take a few minutes to apply).";
	}

	/**
	 * A token failure of a service account, for the Workspace admin: there is no user to authorize again, so
	 * "re-authorize" becomes a configuration problem whose fix is domain-wide delegation.
	 */
	public static Failure forServiceAccount(Failure failure, GoogleOAuth2 google) {
		if (failure.impact() != ServiceImpact.NEEDS_REAUTHORIZATION
				&& !"unauthorized_client".equals(failure.error().code())) {
			return failure;
		}
		ErrorDetails error = failure.error();
		return new Failure(new ErrorDetails(ErrorCategory.CONFIGURATION, error.code(), error.message(),
				domainWideDelegation(google), DOMAIN_WIDE_DELEGATION, false), failure.smtpReply(),
				ServiceImpact.CONFIGURATION_ERROR, failure.retryAfter());
	}

	/** Gmail refused a service account's token that was just issued: the delegation lacks Gmail's scope. */
	public static Failure serviceAccountRefused(Failure refused, GoogleOAuth2 google) {
		ErrorDetails error = refused.error();
		return new Failure(new ErrorDetails(ErrorCategory.CONFIGURATION, error.code(),
				"Gmail refused the service account's token for " + google.loginEmail()
						+ ": its domain-wide delegation does not allow " + GoogleOAuth2.MAIL_SCOPE + ".",
				domainWideDelegation(google), DOMAIN_WIDE_DELEGATION, false), refused.smtpReply(),
				ServiceImpact.CONFIGURATION_ERROR, null);
	}

}
