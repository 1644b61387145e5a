package io.mailroom.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import io.mailroom.core.sandbox.TestMicrosoft;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint of the served API, called by every kind of caller: nobody, an operator and an admin (each
 * with a JWT and with an API key) of the account that owns the resources, and an operator and an admin of
 * another account. Each answer is the one its role and account call for.
 */
class SecurityMatrixIntegrationTest extends ApiIntegrationTest {

	/** What a caller of the owning account with enough rights gets; the others get 401, 403 or 404. */
	private record Endpoint(String method, String path, String role, Function<Owned, Call> call) {

		String operation() {
			return method + " " + path;
		}

	}

	/** A request: method, path with ids filled in, body (null for none). */
	private record Call(String method, String path, Object body) {

		ApiClient.Response by(ApiClient client) {
			return switch (method) {
				case "GET" -> client.get(path);
				case "POST" -> client.post(path, body == null ? Map.of() : body);
				case "PUT" -> client.put(path, body);
				case "DELETE" -> client.delete(path);
				default -> throw new IllegalArgumentException(method);
			};
		}

	}

	/** A caller, the account it acts for, its role, and whether that account owns the resources. */
	private record Caller(String name, ApiClient client, String role, boolean owner) {
	}

	/** Account A's resources, and fresh ones for calls that delete. */
	private final class Owned {

		final String account = "acct-" + UUID.randomUUID();

		final ApiClient admin = admin(account, "owner@product.test");

		final TestMicrosoft.Mailbox mailbox = newMailbox();

		final String service = createAuthorized(admin, mailbox);

		final String request = admin.post("/api/smtp-services/" + service + "/test-email",
				Map.of("recipient", mailbox.upn())).json().path("requestId").asString();

		final String apiKeyId = admin.post("/api/api-keys", Map.of("name", "owned")).json().path("id").asString();

		String freshService() {
			return create(admin, oauth2Service(newMailbox())).path("id").asString();
		}

		String freshKey() {
			return admin.post("/api/api-keys", Map.of("name", "to revoke")).json().path("id").asString();
		}

	}

	private static final List<Endpoint> ENDPOINTS = List.of(
			new Endpoint("POST", "/api/smtp-services", "admin",
					owned -> new Call("POST", "/api/smtp-services", oauth2Service(owned.mailbox))),
			new Endpoint("GET", "/api/smtp-services", "operator",
					owned -> new Call("GET", "/api/smtp-services", null)),
			new Endpoint("GET", "/api/smtp-services/{id}", "operator",
					owned -> new Call("GET", "/api/smtp-services/" + owned.service, null)),
			new Endpoint("PUT", "/api/smtp-services/{id}", "admin",
					owned -> new Call("PUT", "/api/smtp-services/" + owned.service, oauth2Service(owned.mailbox))),
			new Endpoint("DELETE", "/api/smtp-services/{id}", "admin",
					owned -> new Call("DELETE", "/api/smtp-services/" + owned.freshService(), null)),
			new Endpoint("GET", "/api/smtp-services/{id}/status", "operator",
					owned -> new Call("GET", "/api/smtp-services/" + owned.service + "/status", null)),
			new Endpoint("POST", "/api/smtp-services/{id}/verification", "admin",
					owned -> new Call("POST", "/api/smtp-services/" + owned.service + "/verification", null)),
			new Endpoint("POST", "/api/smtp-services/{id}/authorization", "admin",
					owned -> new Call("POST", "/api/smtp-services/" + owned.service + "/authorization", null)),
			new Endpoint("POST", "/api/smtp-services/{id}/test-email", "operator",
					owned -> new Call("POST", "/api/smtp-services/" + owned.service + "/test-email",
							Map.of("recipient", owned.mailbox.upn()))),
			new Endpoint("GET", "/api/smtp-services/{serviceId}/deliveries", "operator",
					owned -> new Call("GET", "/api/smtp-services/" + owned.service + "/deliveries", null)),
			new Endpoint("GET", "/api/smtp-services/{serviceId}/deliveries/{requestId}", "operator",
					owned -> new Call("GET", "/api/smtp-services/" + owned.service + "/deliveries/" + owned.request,
							null)),
			new Endpoint("GET", "/api/deliveries/{requestId}", "operator",
					owned -> new Call("GET", "/api/deliveries/" + owned.request, null)),
			new Endpoint("GET", "/api/audit", "admin", owned -> new Call("GET", "/api/audit", null)),
			new Endpoint("POST", "/api/api-keys", "admin",
					owned -> new Call("POST", "/api/api-keys", Map.of("name", "made in the matrix"))),
			new Endpoint("GET", "/api/api-keys", "admin", owned -> new Call("GET", "/api/api-keys", null)),
			new Endpoint("DELETE", "/api/api-keys/{id}", "admin",
					owned -> new Call("DELETE", "/api/api-keys/" + owned.freshKey(), null)));

	@Test
	void theMatrixCoversEveryOperationTheApiServesAndItsDocumentedRole() {
		JsonNode paths = anonymous().get("/v3/api-docs").json().path("paths");
		Map<String, String> served = new LinkedHashMap<>();
		paths.properties().forEach(path -> path.getValue().properties().forEach(operation -> {
			if (path.getKey().startsWith("/api/")) {
				served.put(operation.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey(),
						operation.getValue().path("x-mailroom-role").asString());
			}
		}));
		Map<String, String> covered = new LinkedHashMap<>();
		ENDPOINTS.forEach(endpoint -> covered.put(endpoint.operation(), endpoint.role()));

		assertThat(covered).isEqualTo(served);
	}

	@Test
	void everyEndpointAnswersEachRoleAndAccountAsItShould() {
		Owned owned = new Owned();
		String stranger = "acct-" + UUID.randomUUID();
		List<Caller> callers = List.of(new Caller("nobody", anonymous(), null, false),
				new Caller("operator (JWT)", operator(owned.account, "olga@product.test"), "operator", true),
				new Caller("admin (JWT)", admin(owned.account, "ada@product.test"), "admin", true),
				new Caller("operator (API key)", keyOf(owned.admin, "OPERATOR"), "operator", true),
				new Caller("admin (API key)", keyOf(owned.admin, "ADMIN"), "admin", true),
				new Caller("operator of another account", operator(stranger, "oscar@product.test"), "operator", false),
				new Caller("admin of another account", admin(stranger, "alan@product.test"), "admin", false));
		Set<String> owners = Set.of(owned.service, owned.request, owned.apiKeyId, owned.account);

		List<String> wrong = new ArrayList<>();
		for (Endpoint endpoint : ENDPOINTS) {
			for (Caller caller : callers) {
				ApiClient.Response answer = endpoint.call().apply(owned).by(caller.client());
				String expected = expected(endpoint, caller);
				String actual = outcome(endpoint, caller, answer, owners);
				if (!actual.equals(expected)) {
					wrong.add(endpoint.operation() + " by " + caller.name() + ": expected " + expected + ", got "
							+ actual + " " + answer);
				}
			}
		}

		assertThat(wrong).isEmpty();
	}

	@Test
	void aRefusedRoleIsTold403WithWhoMayDoIt() {
		String account = "acct-" + UUID.randomUUID();
		ApiClient operator = keyOf(admin(account, "ada@product.test"), "OPERATOR");

		ApiClient.Response refused = operator.post("/api/api-keys", Map.of("name", "escalation", "role", "ADMIN"));

		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
		assertThat(refused.json().path("type").asString()).isEqualTo("urn:mailroom:problem:forbidden");
		assertThat(refused.json().path("detail").asString()).isEqualTo("This needs the admin role, and your API key "
				+ "has the operator role. Ask an admin of your account to do it, or to give you an admin API key or role.");
	}

	private static String expected(Endpoint endpoint, Caller caller) {
		if (caller.role() == null) {
			return "401";
		}
		if (caller.role().equals("operator") && endpoint.role().equals("admin")) {
			return "403";
		}
		if (!caller.owner() && endpoint.path().contains("{")) {
			return "404";
		}
		return caller.owner() ? "2xx" : "2xx without the owner's data";
	}

	private static String outcome(Endpoint endpoint, Caller caller, ApiClient.Response answer, Set<String> owners) {
		int status = answer.status();
		if (status == 401 || status == 403 || status == 404) {
			return String.valueOf(status);
		}
		if (status < 200 || status > 299) {
			return String.valueOf(status);
		}
		if (caller.owner()) {
			return "2xx";
		}
		return owners.stream().anyMatch(answer.body()::contains) ? "2xx WITH the owner's data"
				: "2xx without the owner's data";
	}

	/** An API key of the account with this role, made by one of its admins. */
	private static ApiClient keyOf(ApiClient admin, String role) {
		ApiClient.Response created = admin.post("/api/api-keys", Map.of("name", role + " key", "role", role));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		return anonymous().with("X-Api-Key", created.json().path("key").asString());
	}

}
