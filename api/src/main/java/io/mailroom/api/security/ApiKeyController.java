package io.mailroom.api.security;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.mailroom.api.audit.AuditAction;
import io.mailroom.api.audit.AuditLog;
import io.mailroom.api.web.Caller;
import io.mailroom.api.web.InvalidInput;
import io.mailroom.api.web.NotFound;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "API keys", description = "Keys for deployments and scripts without the product's identity provider")
class ApiKeyController {

	private final ApiKeys keys;

	private final AuditLog audit;

	private final Clock clock;

	ApiKeyController(ApiKeys keys, AuditLog audit, Clock clock) {
		this.keys = keys;
		this.audit = audit;
		this.clock = clock;
	}

	@PostMapping("/api/api-keys")
	@Operation(operationId = "createApiKey", summary = "Create an API key for your account",
			description = "The key is in this response only: Mailroom stores its hash. Send it as "
					+ "'Authorization: Bearer mr_…' or 'X-Api-Key: mr_…'.")
	@ApiResponse(responseCode = "201", description = "Created: the key is shown this once", useReturnTypeSchema = true)
	ResponseEntity<CreatedKey> create(@AuthenticationPrincipal Caller caller, @RequestBody KeyRequest request) {
		String name = request == null || request.name() == null ? "" : request.name().strip();
		if (name.isEmpty() || name.length() > 100 || name.chars().anyMatch(Character::isISOControl)) {
			throw new InvalidInput("name", "must be 1 to 100 characters without line breaks, e.g. 'deploy script'");
		}
		ApiKeys.NewKey created = keys.create(caller.accountId(), name, Instant.now(clock));
		audit.record(caller, AuditAction.API_KEY_CREATED, null,
				Map.of("apiKeyId", created.key().id().toString(), "name", name));
		return ResponseEntity.created(URI.create("/api/api-keys/" + created.key().id()))
			.body(new CreatedKey(created.key().id(), name, created.plaintext(), created.key().createdAt()));
	}

	@GetMapping("/api/api-keys")
	@Operation(operationId = "listApiKeys", summary = "List your account's API keys (without the keys themselves)")
	List<KeyView> list(@AuthenticationPrincipal Caller caller) {
		return keys.list(caller.accountId()).stream().map(KeyView::of).toList();
	}

	@DeleteMapping("/api/api-keys/{id}")
	@Operation(operationId = "revokeApiKey", summary = "Revoke an API key",
			description = "Requests with the key are refused from now on.")
	@ApiResponse(responseCode = "204", description = "Revoked")
	ResponseEntity<Void> revoke(@AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
		if (!keys.revoke(caller.accountId(), id, Instant.now(clock))) {
			throw new NotFound("active API key", id);
		}
		audit.record(caller, AuditAction.API_KEY_REVOKED, null, Map.of("apiKeyId", id.toString()));
		return ResponseEntity.noContent().build();
	}

	/** @param name what the key is for, e.g. "deploy script" */
	record KeyRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "deploy script") String name) {
	}

	/** @param key the API key; shown only in this response */
	record CreatedKey(UUID id, String name, String key, Instant createdAt) {

		@Override
		public String toString() {
			return "CreatedKey[id=" + id + ", name=" + name + "]";
		}

	}

	record KeyView(UUID id, String name, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {

		static KeyView of(ApiKeys.ApiKey key) {
			return new KeyView(key.id(), key.name(), key.createdAt(), key.lastUsedAt(), key.revokedAt());
		}

	}

}
