package io.mailroom.core.failures;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

import static io.mailroom.contracts.ErrorCategory.CONFIGURATION;
import static io.mailroom.contracts.ErrorCategory.NETWORK;
import static io.mailroom.core.failures.Outcome.holdsService;
import static io.mailroom.core.failures.Outcome.retries;

/**
 * Connection failures, recognised anywhere in a cause chain: mail libraries and MSAL4J wrap the socket or
 * TLS exception that says what happened ({@code MailConnectException}, {@code MsalClientException},
 * {@code CompletionException}…).
 *
 * <p>TLS problems that come back on every attempt (an untrusted certificate, a host name that does not
 * match it, no common TLS version, TLS on a port that expects STARTTLS) are configuration, not network:
 * retrying cannot help, someone has to change a setting. Everything else may be passing and is retried.
 */
enum NetworkProblems {

	// Order matters: the first problem found anywhere in the chain wins, most specific first.
	TLS_HOST_MISMATCH(holdsService(CONFIGURATION), "the server's TLS certificate is for another host name",
			"Enter the mail server's host name exactly as its certificate names it (smtp.office365.com for "
					+ "Microsoft 365), not an IP address or an alias.",
			null,
			(t) -> messageHas(t, "no subject alternative", "no name matching", "doesn't match any of the subject")),
	TLS_CERTIFICATE(holdsService(CONFIGURATION), "the server's TLS certificate is not trusted",
			"Check the host name and port, and if the mail server uses a certificate from a private authority, "
					+ "ask Mailroom support to trust it; an expired certificate must be renewed by the server's admin.",
			null,
			(t) -> t instanceof CertificateException || t instanceof CertPathValidatorException
					|| t instanceof CertPathBuilderException || t instanceof SSLPeerUnverifiedException
					|| messageHas(t, "pkix path", "certification path", "certificate")),
	TLS_MODE(holdsService(CONFIGURATION), "the server did not answer TLS as expected on this port",
			"Use port 587 with STARTTLS for smtp.office365.com (port 465 expects TLS from the start), and match "
					+ "the service's security setting to the port.",
			HelpUrls.SMTP_SETTINGS, (t) -> messageHas(t, "plaintext connection", "unrecognized ssl message")),
	TLS_PROTOCOL(holdsService(CONFIGURATION), "the server and Mailroom share no TLS version or cipher",
			"Ask the mail server's admin to offer TLS 1.2 or later, which Mailroom requires.", HelpUrls.SMTP_AUTH_TLS,
			(t) -> messageHas(t, "protocol_version", "no appropriate protocol", "no cipher suites in common",
					"handshake_failure", "insufficient_security")),
	UNKNOWN_HOST(retries(NETWORK), "the mail server's host name could not be found",
			"Check the spelling of the host name (smtp.office365.com for Microsoft 365); Mailroom retries in case it "
					+ "was a passing DNS problem.",
			HelpUrls.SMTP_SETTINGS, (t) -> t instanceof UnknownHostException),
	TIMEOUT(retries(NETWORK), "the server did not answer in time",
			"Nothing to do if it is rare, as Mailroom retries automatically; if every attempt times out, check that "
					+ "no firewall blocks the host and port and that the port matches the service's security setting.",
			null,
			(t) -> t instanceof SocketTimeoutException || t instanceof TimeoutException
					|| t.getClass().getName().equals("java.net.http.HttpTimeoutException")
					|| messageHas(t, "timed out")),
	CONNECTION_REFUSED(retries(NETWORK), "the connection was refused",
			"Check the service's host and port (587 for Microsoft 365) and that no firewall blocks them; Mailroom "
					+ "retries automatically meanwhile.",
			HelpUrls.SMTP_SETTINGS,
			(t) -> t instanceof ConnectException || t instanceof NoRouteToHostException
					|| t instanceof PortUnreachableException),
	CONNECTION_DROPPED(retries(NETWORK), "the connection was dropped",
			"Nothing to do: Mailroom reconnects and retries automatically.", null,
			(t) -> t instanceof SocketException || t instanceof EOFException || t instanceof SSLException
					|| messageHas(t, "connection reset", "broken pipe", "[eof]", "connection closed")),
	NETWORK_ERROR(retries(NETWORK), "a network error occurred",
			"Nothing to do: Mailroom retries automatically, and if it keeps failing, contact Mailroom support.", null,
			(t) -> true);

	private final Outcome outcome;

	private final String what;

	private final String hint;

	private final String helpUrl;

	private final Predicate<Throwable> recognises;

	NetworkProblems(Outcome outcome, String what, String hint, String helpUrl, Predicate<Throwable> recognises) {
		this.outcome = outcome;
		this.what = what;
		this.hint = hint;
		this.helpUrl = helpUrl;
		this.recognises = recognises;
	}

	static Failure classify(String operation, Throwable cause) {
		List<Throwable> chain = chain(cause);
		for (NetworkProblems problem : values()) {
			if (chain.stream().anyMatch(problem.recognises)) {
				return problem.failure(operation);
			}
		}
		return NETWORK_ERROR.failure(operation);
	}

	Failure failure(String operation) {
		return outcome.failure(name(), describe(operation) + ": " + what + ".", hint, helpUrl, null);
	}

	/**
	 * "Mailroom could not connect to smtp.office365.com:587" or "Mailroom failed while sending mail": the
	 * operation may be a verb phrase or an -ing phrase, and is kept to one short line inside the sentence.
	 */
	private static String describe(String operation) {
		if (operation == null || operation.isBlank()) {
			return "Mailroom could not reach the server";
		}
		String oneLine = operation.replaceAll("[\\r\\n\\t]+", " ").strip();
		if (oneLine.length() > 120) {
			oneLine = oneLine.substring(0, 120).strip() + "…";
		}
		String firstWord = oneLine.split(" ", 2)[0];
		return firstWord.endsWith("ing") ? "Mailroom failed while " + oneLine : "Mailroom could not " + oneLine;
	}

	private static List<Throwable> chain(Throwable cause) {
		List<Throwable> chain = new ArrayList<>();
		Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		for (Throwable t = cause; t != null && seen.add(t) && chain.size() < 32; t = t.getCause()) {
			chain.add(t);
		}
		return chain;
	}

	private static boolean messageHas(Throwable t, String... fragments) {
		String message = (t.getMessage() != null) ? t.getMessage().toLowerCase(Locale.ROOT) : "";
		for (String fragment : fragments) {
			if (message.contains(fragment)) {
				return true;
			}
		}
		return false;
	}

}
