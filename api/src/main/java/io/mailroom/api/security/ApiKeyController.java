package io.mailroom.api.security;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.mailroom.api.audit.AuditAction;
import io.mailroom.api.audit.AuditLog;
import io.mailroom.api.limits.RateLimit;
import io.mailroom.api.limits.RateLimits;
import io.mailroom.api.web.Caller;
import io.mailroom.api.web.InvalidInput;
import io.mailroom.api.web.NotFound;
import io.mailroom.api.web.RequiresRole;
import io.mailroom.api.web.Role;
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

	private final ApiSecurityProperties properties;

	private final Clock clock;

	ApiKeyController(ApiKeys keys, AuditLog audit, ApiSecurityProperties properties, Clock clock) {
		this.keys = keys;
		this.audit = audit;
		this.properties = properties;
		this.clock = clock;
	}

	@PostMapping("/api/api-keys")
	@RequiresRole(Role.ADMIN)
	@RateLimit(RateLimits.Action.API_KEY_CHANGE)
	@Operation(operationId = "createApiKey", summary = "Create an API key for your account",
			description = "The key is in this response only: Mailroom stores its hash. Send it as "
					+ "'Authorization: Bearer mr_…' or 'X-Api-Key: mr_…'. A key has a role (operator unless you ask "
					+ "for admin) and expires (after 90 days unless you name an earlier or later expiresAt, at most "
					+ "365 days ahead); a key made with another API key expires no later than that one.")
	@ApiResponse(responseCode = "201", description = "Created: the key is shown this once", useReturnTypeSchema = true)
	ResponseEntity<CreatedKey> create(@AuthenticationPrincipal Caller caller, @RequestBody KeyRequest request) {
		String name = request == null || request.name() == null ? "" : request.name().strip();
		if (name.isEmpty() || name.length() > 100 || name.chars().anyMatch(Character::isISOControl)) {
			throw new InvalidInput("name", "must be 1 to 100 characters without line breaks, e.g. 'deploy script'");
		}
		Role role = request.role() == null ? Role.OPERATOR : request.role();
		Instant now = Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
		Instant expiresAt = expiry(caller, request.expiresAt(), now);
		ApiKeys.NewKey created = keys.create(caller.accountId(), name, role, expiresAt, now);
		audit.record(caller, AuditAction.API_KEY_CREATED, null, Map.of("apiKeyId", created.key().id().toString(),
				"name", name, "role", role.label(), "expiresAt", expiresAt.toString()));
		return ResponseEntity.created(URI.create("/api/api-keys/" + created.key().id()))
			.body(new CreatedKey(created.key().id(), name, role, created.plaintext(), created.key().createdAt(),
					expiresAt));
	}

	/**
	 * The new key's expiry: as asked, or the default lifetime; never past the longest lifetime, and never past
	 * the expiry of the key the caller uses, so that a key cannot outlive itself by making another.
	 */
	private Instant expiry(Caller caller, Instant requested, Instant now) {
		// PostgreSQL keeps microseconds: the expiry answered is the one stored
		Instant asked = requested == null ? null : requested.truncatedTo(ChronoUnit.MICROS);
		Instant latest = now.plus(properties.maxKeyLifetime());
		if (caller.expiresAt() != null && caller.expiresAt().isBefore(latest)) {
			latest = caller.expiresAt();
		}
		if (asked == null) {
			Instant standard = now.plus(properties.keyLifetime());
			return standard.isBefore(latest) ? standard : latest;
		}
		if (!asked.isAfter(now)) {
			throw new InvalidInput("expiresAt", "must be in the future, e.g. " + now.plus(properties.keyLifetime()));
		}
		if (asked.isAfter(latest)) {
			throw new InvalidInput("expiresAt", latest.equals(caller.expiresAt())
					? "must not be later than the API key you are using expires (" + latest + ")"
					: "must be at most " + properties.maxKeyLifetime().toDays() + " days ahead (" + latest + " or "
							+ "earlier)");
		}
		return asked;
	}

	@GetMapping("/api/api-keys")
	@RequiresRole(Role.ADMIN)
	@Operation(operationId = "listApiKeys", summary = "List your account's API keys (without the keys themselves)")
	List<KeyView> list(@AuthenticationPrincipal Caller caller) {
		return keys.list(caller.accountId()).stream().map(KeyView::of).toList();
	}

	@DeleteMapping("/api/api-keys/{id}")
	@RequiresRole(Role.ADMIN)
	@RateLimit(RateLimits.Action.API_KEY_CHANGE)
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

	/**
	 * @param name what the key is for, e.g. "deploy script"
	 * @param role what the key may do: OPERATOR (status, delivery log, test emails; the default) or ADMIN
	 *     (everything, including API keys)
	 * @param expiresAt when the key stops working; default 90 days from now, at most 365 days ahead
	 */
	record KeyRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "deploy script") String name,
			@Schema(defaultValue = "OPERATOR") Role role, @Schema(example = "2027-06-30T00:00:00Z") Instant expiresAt) {
	}

	/** @param key the API key; shown only in this response */
	record CreatedKey(UUID id, String name, Role role, String key, Instant createdAt, Instant expiresAt) {

		@Override
		public String toString() {
			return "CreatedKey[id=" + id + ", name=" + name + ", role=" + role + "]";
		}

	}

	/** @param expiresAt absent for a key the deployment gave, or one made before keys expired */
	record KeyView(UUID id, String name, Role role, Instant createdAt, Instant expiresAt, Instant lastUsedAt,
			Instant revokedAt) {

		static KeyView of(ApiKeys.ApiKey key) {
			return new KeyView(key.id(), key.name(), key.role(), key.createdAt(), key.expiresAt(), key.lastUsedAt(),
					key.revokedAt());
		}

	}

}
