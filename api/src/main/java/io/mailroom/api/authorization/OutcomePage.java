package io.mailroom.api.authorization;

import org.springframework.web.util.HtmlUtils;

/**
 * The callback's own page, for authorizations started without a return URL: the outcome in words, and on
 * failure the provider's code with its link and what to do.
 */
final class OutcomePage {

	private OutcomePage() {
	}

	static String of(AuthorizationOutcome outcome) {
		if (outcome.succeeded()) {
			return page("Authorization succeeded", "<p>Mailroom may now send as <strong>"
					+ escape(outcome.authorizedAccount()) + "</strong> through this SMTP service.</p>"
					+ "<p>Next, send a test email to check that mail goes through. You can close this window.</p>");
		}
		var error = outcome.error();
		StringBuilder body = new StringBuilder();
		body.append("<p>").append(escape(error.message())).append("</p>");
		if (error.hint() != null) {
			body.append("<p><strong>What to do:</strong> ").append(escape(error.hint())).append("</p>");
		}
		body.append("<p>Error code: <code>").append(escape(error.code())).append("</code>");
		if (error.helpUrl() != null) {
			body.append(" (<a href=\"").append(escape(error.helpUrl())).append("\" rel=\"noreferrer\">")
				.append(escape(error.helpUrl()))
				.append("</a>)");
		}
		body.append("</p><p>Review this with your Microsoft 365 or Google Workspace administrator, then click Authorize "
				+ "again.</p>");
		return page("Authorization failed", body.toString());
	}

	static String refused(String explanation) {
		return page("Authorization not accepted", "<p>" + escape(explanation) + "</p>"
				+ "<p>Nothing was changed. Go back to the SMTP service in Mailroom and click Authorize again.</p>");
	}

	/** Microsoft sent an admin back after admin consent (granted, or not). */
	static String adminConsent(boolean granted, String tenant, String error) {
		return granted ? page("Admin consent granted", "<p>An admin of tenant " + escape(tenant)
				+ " granted the app's permissions.</p><p>Go back to the SMTP service in Mailroom and click Verify setup: "
				+ "when it passes, held mail is sent.</p>")
				: page("Admin consent not granted", "<p>" + escape(error) + "</p><p>Nothing was changed.</p>");
	}

	private static String page(String title, String body) {
		return """
				<!DOCTYPE html>
				<html lang="en"><head><meta charset="utf-8"><title>%s</title>
				<meta name="viewport" content="width=device-width, initial-scale=1">
				<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5}</style>
				</head><body><h1>%s</h1>%s</body></html>
				""".formatted(escape(title), escape(title), body);
	}

	private static String escape(String text) {
		return HtmlUtils.htmlEscape(text == null ? "" : text);
	}

}
