package io.mailroom.sandbox;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's own plain-HTTP page and JSON, for people during the local run (and scripts): what arrived,
 * the counters, the directory, and scenario switches. Not a Microsoft API.
 *
 * <ul>
 * <li>{@code GET /} the page; {@code GET /api/messages}, {@code GET /api/messages/{n}/raw},
 * {@code POST /api/messages/clear}</li>
 * <li>{@code GET /api/stats}, {@code POST /api/stats/reset}; {@code GET /api/directory}</li>
 * <li>{@code GET /api/scenarios}; {@code POST /api/scenarios} with form fields {@code type} and its
 * arguments ({@code upn}, {@code tenant}, {@code clientId}, {@code count}, {@code millis}, {@code ratio},
 * {@code reason}, {@code stage}, {@code address}, {@code code}, {@code enhancedCode}, {@code text});
 * {@code POST /api/scenarios/{id}/clear}; {@code POST /api/scenarios/clear}</li>
 * </ul>
 * A form field {@code back=1} answers a POST with a redirect to the page instead of JSON.
 */
final class ControlServer implements AutoCloseable {

	private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

	private static final Pattern RAW_MESSAGE = Pattern.compile("^/api/messages/(\\d+)/raw$");

	private static final Pattern CLEAR_SCENARIO = Pattern.compile("^/api/scenarios/(\\d+)/clear$");

	private final HttpEndpoint server;

	private final MicrosoftSandbox sandbox;

	ControlServer(SandboxSettings settings, MicrosoftSandbox sandbox) throws IOException {
		this.sandbox = sandbox;
		this.server = HttpEndpoint.http(settings.bindAddress(), settings.controlPort(), "sandbox-control-", this::handle);
	}

	void start() {
		this.server.start();
	}

	int port() {
		return this.server.port();
	}

	@Override
	public void close() {
		this.server.close();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try {
			String path = exchange.getRequestURI().getPath();
			boolean post = exchange.getRequestMethod().equals("POST");
			Map<String, String> form = post ? Http.form(exchange) : Map.of();
			Matcher raw = RAW_MESSAGE.matcher(path);
			Matcher clear = CLEAR_SCENARIO.matcher(path);
			Object result;
			if (path.equals("/") && !post) {
				Http.html(exchange, 200, page());
				return;
			}
			else if (raw.matches() && !post) {
				List<ReceivedMessage> messages = this.sandbox.mailbox().messages();
				int index = Integer.parseInt(raw.group(1));
				if (index < 1 || index > messages.size()) {
					Http.json(exchange, 404, Map.of("error", "no message " + index));
					return;
				}
				Http.text(exchange, 200, "message/rfc822", messages.get(index - 1).content());
				return;
			}
			else if (path.equals("/api/messages") && !post) {
				result = messageSummaries();
			}
			else if (path.equals("/api/messages/clear") && post) {
				this.sandbox.mailbox().clear();
				result = Map.of("cleared", true);
			}
			else if (path.equals("/api/stats") && !post) {
				result = this.sandbox.stats().asMap();
			}
			else if (path.equals("/api/stats/reset") && post) {
				this.sandbox.stats().reset();
				result = Map.of("reset", true);
			}
			else if (path.equals("/api/directory") && !post) {
				result = directory();
			}
			else if (path.equals("/api/scenarios") && !post) {
				result = scenarios();
			}
			else if (path.equals("/api/scenarios") && post) {
				Scenario scenario = start(form);
				LOG.info("Scenario started from the control page: {}", scenario.description());
				result = Map.of("id", this.sandbox.scenarios().idOf(scenario), "description", scenario.description());
			}
			else if (path.equals("/api/scenarios/clear") && post) {
				this.sandbox.scenarios().clearAll();
				result = Map.of("cleared", true);
			}
			else if (clear.matches() && post) {
				this.sandbox.scenarios().find(Long.parseLong(clear.group(1))).ifPresent(Scenario::clear);
				result = Map.of("cleared", true);
			}
			else {
				Http.json(exchange, 404, Map.of("error", "not found"));
				return;
			}
			if ("1".equals(form.get("back"))) {
				Http.redirect(exchange, 303, "/");
			}
			else {
				Http.json(exchange, 200, result);
			}
		}
		catch (IllegalArgumentException | IllegalStateException ex) {
			Http.json(exchange, 400, Map.of("error", String.valueOf(ex.getMessage())));
		}
		catch (RuntimeException ex) {
			LOG.warn("Control request {} failed", exchange.getRequestURI(), ex);
			Http.json(exchange, 500, Map.of("error", String.valueOf(ex)));
		}
		finally {
			exchange.close();
		}
	}

	private Scenario start(Map<String, String> form) {
		Scenarios scenarios = this.sandbox.scenarios();
		String type = required(form, "type");
		return switch (type) {
			case "revoke-grants" -> scenarios.revokeGrants(required(form, "upn"));
			case "expire-refresh-tokens" -> scenarios.expireRefreshTokens(required(form, "upn"),
					RefreshTokenExpiry.valueOf(form.getOrDefault("reason", "EXPIRED")));
			case "require-mfa" -> scenarios.requireMfa(required(form, "upn"));
			case "conditional-access-block" -> scenarios.conditionalAccessBlock(required(form, "upn"));
			case "decline-consent" -> scenarios.declineConsent(required(form, "upn"));
			case "expire-client-secret" -> scenarios.expireClientSecret(this.sandbox.directory()
				.app(required(form, "clientId"))
				.orElseThrow(() -> new IllegalArgumentException("No app " + form.get("clientId"))));
			case "identity-outage" -> !blank(form.get("tenant")) ? scenarios.identityOutage(tenant(form))
					: blank(form.get("count")) ? scenarios.identityOutage()
							: scenarios.identityOutage(Integer.parseInt(form.get("count")));
			case "identity-hang" -> scenarios.identityHang(tenant(form));
			case "access-token-lifetime" -> scenarios
				.accessTokenLifetime(Duration.ofMillis(Long.parseLong(required(form, "millis"))));
			case "token-latency" -> scenarios.tokenLatency(Duration.ofMillis(Long.parseLong(required(form, "millis"))));
			case "disable-smtp-auth" -> scenarios.disableSmtpAuth(required(form, "upn"));
			case "enable-smtp-auth" -> scenarios.enableSmtpAuth(required(form, "upn"));
			case "disable-smtp-auth-for-tenant" -> scenarios.disableSmtpAuthForTenant(tenant(form));
			case "disable-basic-auth-for-tenant" -> scenarios.disableBasicAuthForTenant(tenant(form));
			case "transient-failures" -> scenarios.transientFailures(Integer.parseInt(form.getOrDefault("count", "1")));
			case "transient-failure-ratio" -> scenarios.transientFailureRatio(Double.parseDouble(required(form, "ratio")));
			case "smtp-latency" -> scenarios.smtpLatency(Duration.ofMillis(Long.parseLong(required(form, "millis"))));
			case "smtp-hang" -> scenarios.smtpHang(required(form, "upn"));
			case "reject-recipient" -> scenarios.rejectRecipient(required(form, "address"),
					Integer.parseInt(form.getOrDefault("code", "550")), form.getOrDefault("enhancedCode", "5.1.10"),
					form.getOrDefault("text", "RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup"));
			case "drop-connection" -> scenarios.dropConnection(SmtpStage.valueOf(form.getOrDefault("stage", "END_OF_DATA")),
					Integer.parseInt(form.getOrDefault("count", "1")));
			case "graph-failures" -> scenarios.graphFailures(Integer.parseInt(form.getOrDefault("status", "503")),
					form.getOrDefault("code", "ServiceUnavailable"), form.getOrDefault("message", "Service unavailable."),
					Integer.parseInt(form.getOrDefault("count", "1")));
			case "graph-timeout-after-sending" -> scenarios.graphTimeoutAfterSending(
					Integer.parseInt(form.getOrDefault("count", "1")));
			case "disable-rest-api" -> scenarios.disableRestApi(required(form, "upn"));
			default -> throw new IllegalArgumentException("Unknown scenario type " + type);
		};
	}

	private Tenant tenant(Map<String, String> form) {
		String tenant = required(form, "tenant");
		return this.sandbox.directory().tenant(tenant).orElseThrow(() -> new IllegalArgumentException("No tenant " + tenant));
	}

	private List<Map<String, Object>> messageSummaries() {
		List<Map<String, Object>> summaries = new ArrayList<>();
		List<ReceivedMessage> messages = this.sandbox.mailbox().messages();
		for (int i = 0; i < messages.size(); i++) {
			ReceivedMessage message = messages.get(i);
			Map<String, Object> summary = new LinkedHashMap<>();
			summary.put("number", i + 1);
			summary.put("queueId", message.queueId());
			summary.put("sessionId", message.sessionId());
			summary.put("mailbox", message.mailbox());
			summary.put("authenticatedBy", message.authenticatedBy());
			summary.put("envelopeFrom", message.envelopeFrom());
			summary.put("recipients", message.recipients());
			summary.put("subject", message.subject().orElse(null));
			summary.put("messageId", message.messageId().orElse(null));
			summary.put("size", message.size());
			summary.put("receivedAt", message.receivedAt().toString());
			summaries.add(summary);
		}
		return summaries;
	}

	private Map<String, Object> directory() {
		Directory directory = this.sandbox.directory();
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("authorityHost", this.sandbox.authorityHost());
		result.put("smtp", this.sandbox.smtpHost() + ":" + this.sandbox.smtpPort());
		result.put("tenants", directory.tenants());
		// A sandbox secret protects nothing; the local run needs it to set up a service.
		result.put("apps", directory.apps().stream().map((app) -> {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("clientId", app.clientId());
			entry.put("displayName", app.displayName());
			entry.put("homeTenantId", app.homeTenantId());
			entry.put("multiTenant", app.multiTenant());
			entry.put("redirectUris", app.redirectUris());
			entry.put("clientSecret", app.clientSecret());
			entry.put("clientSecretId", app.clientSecretId());
			return entry;
		}).toList());
		result.put("users", directory.users());
		return result;
	}

	private List<Map<String, Object>> scenarios() {
		Scenarios scenarios = this.sandbox.scenarios();
		return scenarios.active().stream().map((scenario) -> {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("id", scenarios.idOf(scenario));
			entry.put("description", scenario.description());
			return entry;
		}).toList();
	}

	private String page() {
		StringBuilder html = new StringBuilder("""
				<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Microsoft sandbox</title>
				<style>body{font-family:system-ui,sans-serif;margin:24px}table{border-collapse:collapse}
				td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;font-size:14px}h2{margin-top:28px}</style>
				</head><body><h1>Microsoft sandbox</h1>
				""");
		html.append("<p>Identity platform <code>").append(Http.escape(this.sandbox.authorityHost()))
			.append("</code>, SMTP <code>").append(Http.escape(this.sandbox.smtpHost())).append(':')
			.append(this.sandbox.smtpPort()).append("</code> (STARTTLS). JSON under <code>/api</code>.</p>");
		html.append("<h2>Messages</h2><form method=post action=/api/messages/clear><input type=hidden name=back value=1>")
			.append("<button>Clear</button></form><table><tr><th>#</th><th>Received</th><th>Mailbox</th><th>From</th>")
			.append("<th>To</th><th>Subject</th><th>Size</th></tr>");
		List<ReceivedMessage> messages = this.sandbox.mailbox().messages();
		for (int i = messages.size() - 1; i >= Math.max(0, messages.size() - 200); i--) {
			ReceivedMessage message = messages.get(i);
			html.append("<tr><td><a href=/api/messages/").append(i + 1).append("/raw>").append(i + 1).append("</a></td><td>")
				.append(message.receivedAt()).append("</td><td>").append(Http.escape(message.mailbox())).append("</td><td>")
				.append(Http.escape(message.envelopeFrom())).append("</td><td>")
				.append(Http.escape(String.join(", ", message.recipients()))).append("</td><td>")
				.append(Http.escape(message.subject().orElse(""))).append("</td><td>").append(message.size())
				.append("</td></tr>");
		}
		html.append("</table><h2>Scenarios</h2><ul>");
		for (Map<String, Object> scenario : scenarios()) {
			html.append("<li>").append(Http.escape((String) scenario.get("description")))
				.append(" <form style=display:inline method=post action=/api/scenarios/").append(scenario.get("id"))
				.append("/clear><input type=hidden name=back value=1><button>Clear</button></form></li>");
		}
		html.append("""
				</ul><form method=post action=/api/scenarios><input type=hidden name=back value=1>
				<select name=type>
				<option>revoke-grants</option><option>expire-refresh-tokens</option><option>require-mfa</option>
				<option>conditional-access-block</option><option>decline-consent</option><option>expire-client-secret</option>
				<option>identity-outage</option><option>identity-hang</option><option>token-latency</option>
				<option>access-token-lifetime</option><option>disable-smtp-auth</option>
				<option>enable-smtp-auth</option><option>disable-smtp-auth-for-tenant</option>
				<option>disable-basic-auth-for-tenant</option><option>transient-failures</option>
				<option>transient-failure-ratio</option><option>smtp-latency</option><option>smtp-hang</option>
				<option>reject-recipient</option><option>drop-connection</option></select>
				<input name=upn placeholder="user principal name"> <input name=tenant placeholder="tenant id or domain">
				<input name=clientId placeholder="client id"> <input name=count placeholder=count size=5>
				<input name=millis placeholder=millis size=6> <input name=address placeholder="recipient address">
				<button>Start</button></form>
				<form method=post action=/api/scenarios/clear><input type=hidden name=back value=1><button>Clear all</button></form>
				""");
		html.append("<h2>Counters</h2><table>");
		this.sandbox.stats().asMap().forEach((name, value) -> html.append("<tr><td>").append(Http.escape(name))
			.append("</td><td>").append(Http.escape(String.valueOf(value))).append("</td></tr>"));
		html.append("</table><h2>Directory</h2><table><tr><th>Tenant</th><th>ID</th></tr>");
		for (Tenant tenant : this.sandbox.directory().tenants()) {
			html.append("<tr><td>").append(Http.escape(tenant.domain())).append("</td><td>").append(tenant.id())
				.append("</td></tr>");
		}
		html.append("</table><p><table><tr><th>App</th><th>Client ID</th><th>Multi-tenant</th><th>Redirect URIs</th></tr>");
		for (AppRegistration app : this.sandbox.directory().apps()) {
			html.append("<tr><td>").append(Http.escape(app.displayName())).append("</td><td>").append(app.clientId())
				.append("</td><td>").append(app.multiTenant()).append("</td><td>")
				.append(Http.escape(String.join(" ", app.redirectUris()))).append("</td></tr>");
		}
		html.append("</table><p><table><tr><th>User</th><th>Tenant</th></tr>");
		for (User user : this.sandbox.directory().users()) {
			html.append("<tr><td>").append(Http.escape(user.userPrincipalName())).append("</td><td>")
				.append(user.tenantId()).append("</td></tr>");
		}
		return html.append("</table></body></html>").toString();
	}

	private static String required(Map<String, String> form, String name) {
		String value = form.get(name);
		if (blank(value)) {
			throw new IllegalArgumentException("Missing form field " + name);
		}
		return value;
	}

	private static boolean blank(String value) {
		return value == null || value.isBlank();
	}

}
