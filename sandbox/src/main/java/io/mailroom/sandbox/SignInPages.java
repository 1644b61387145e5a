package io.mailroom.sandbox;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.mailroom.sandbox.Directory.App;
import io.mailroom.sandbox.IdentityError.Trace;

/**
 * The HTML of the sign-in flow: the consent page, the error page, and the {@code form_post} page that
 * carries the result to the app. Plain forms without script (but the auto-submit of {@code form_post}), so
 * a person, {@link SignInClient} and a headless browser can all use them.
 */
final class SignInPages {

	private static final String STYLE = """
			<style>
			body{font-family:"Segoe UI",Arial,sans-serif;background:#f2f2f2;margin:0}
			main{background:#fff;max-width:440px;margin:48px auto;padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
			h1{font-size:24px;font-weight:600;margin:16px 0}
			.sandbox{color:#a4262c;font-size:13px}
			label,li,p{font-size:15px}
			input[type=email]{width:100%;box-sizing:border-box;padding:6px 0;border:0;border-bottom:1px solid #666;font-size:15px}
			button{min-width:108px;padding:6px 12px;font-size:15px;margin:16px 8px 0 0;border:0;cursor:pointer}
			button[value=accept]{background:#0067b8;color:#fff}
			#error{color:#a4262c;white-space:pre-wrap;font-size:14px}
			</style>
			""";

	private static final Pattern AADSTS = Pattern.compile("^AADSTS(\\d+)");

	private SignInPages() {
	}

	static String consent(String context, String tenant, App app, String account, Scopes scopes, String error) {
		return consent(context, tenant, "login", app, account, scopes, error);
	}

	/** The consent page, posting to {@code /{tenant}/{action}} ({@code login}, or {@code adminconsent}). */
	static String consent(String context, String tenant, String action, App app, String account, Scopes scopes,
			String error) {
		StringBuilder permissions = new StringBuilder();
		for (String scope : scopes.all()) {
			permissions.append("<li>").append(Http.escape(describe(scope))).append(" <small>(")
				.append(Http.escape(scope)).append(")</small></li>");
		}
		String errorBlock = (error == null) ? ""
				: "<div id=\"error\" data-aadsts=\"" + aadsts(error) + "\">" + Http.escape(error) + "</div>";
		return """
				<!DOCTYPE html>
				<html lang="en"><head><meta charset="utf-8"><title>Permissions requested</title>%s</head><body><main>
				<p class="sandbox">Microsoft sandbox for Mailroom tests and local runs: not Microsoft.</p>
				<h1>Permissions requested</h1>
				<p><strong>%s</strong> (unverified) wants to:</p>
				<ul id="permissions">%s</ul>
				%s
				<form id="consent" method="post" action="/%s/%s">
				<input type="hidden" name="ctx" value="%s">
				<label for="login">Account</label>
				<input type="email" id="login" name="login" value="%s" placeholder="someone@example.com" required>
				<p>Accepting lets this app use the data as described in its terms of service and privacy statement.</p>
				<button type="submit" name="decision" value="cancel" formnovalidate>Cancel</button>
				<button type="submit" name="decision" value="accept">Accept</button>
				</form>
				</main></body></html>
				""".formatted(STYLE, Http.escape(app.displayName), permissions, errorBlock, Http.escape(tenant),
				Http.escape(action), Http.escape(context), Http.escape(account));
	}

	static String error(IdentityError error, Trace trace) {
		return """
				<!DOCTYPE html>
				<html lang="en"><head><meta charset="utf-8"><title>Sign in to your account</title>%s</head><body><main>
				<p class="sandbox">Microsoft sandbox for Mailroom tests and local runs: not Microsoft.</p>
				<h1>Sorry, but we're having trouble signing you in.</h1>
				<div id="error" data-aadsts="%d">%s</div>
				<p><a href="%s">More about this error</a></p>
				</main></body></html>
				""".formatted(STYLE, error.code(), Http.escape(error.description(trace)), Http.escape(error.errorUri()));
	}

	/** Entra's {@code form_post} response: a hidden form posted to the redirect URI by script. */
	static String formPost(String redirectUri, Map<String, String> parameters) {
		StringBuilder inputs = new StringBuilder();
		parameters.forEach((name, value) -> inputs.append("<input type=\"hidden\" name=\"")
			.append(Http.escape(name))
			.append("\" value=\"")
			.append(Http.escape(value))
			.append("\" />"));
		return "<html><head><title>Working...</title></head><body><form method=\"POST\" name=\"hiddenform\" action=\""
				+ Http.escape(redirectUri) + "\">" + inputs
				+ "<noscript><p>Script is disabled. Click Submit to continue.</p><input type=\"submit\" value=\"Submit\" /></noscript></form>"
				+ "<script language=\"javascript\">document.forms[0].submit();</script></body></html>";
	}

	private static String aadsts(String description) {
		Matcher code = AADSTS.matcher(description);
		return code.find() ? code.group(1) : "";
	}

	private static String describe(String scope) {
		String permission = scope.substring(scope.lastIndexOf('/') + 1);
		return switch (permission) {
			case "SMTP.Send" -> "Send emails from mailboxes using SMTP AUTH";
			case "Mail.Send" -> "Send mail as you";
			case "Mail.Send.Shared" -> "Send mail on behalf of others or yourself";
			case "SMTP.SendAsApp" -> "Send emails from mailboxes as the app using SMTP AUTH";
			case "Mail.ReadWrite" -> "Read and write mail in all mailboxes";
			case "Mail.ReadBasic.All" -> "Read basic mail in all mailboxes";
			case "openid" -> "Sign you in";
			case "profile" -> "View your basic profile";
			case "email" -> "View your email address";
			case "offline_access" -> "Maintain access to data you have given it access to";
			case ".default" -> "Use the permissions the app is configured with";
			default -> permission;
		};
	}

}
