package io.mailroom.core.secrets;

import java.util.Base64;
import java.util.Map;

import jakarta.validation.constraints.NotEmpty;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Keys for sealing secrets at rest, from the environment, e.g.
 * {@code MAILROOM_SECRETS_KEYS_2026A=<base64 of 32 random bytes>} and {@code MAILROOM_SECRETS_ACTIVE_KEY=2026a}.
 * There is no default: a deployment without keys refuses to start.
 *
 * @param keys key id to base64-encoded 256-bit AES key; keep old keys until nothing is sealed with them
 * @param activeKey the id of the key new secrets are sealed with
 */
@Validated
@ConfigurationProperties("mailroom.secrets")
public record SecretsProperties(@NotEmpty Map<String, String> keys, String activeKey) {

	public SecretsProperties {
		keys = keys == null ? Map.of() : Map.copyOf(keys);
		if (!keys.isEmpty()) {
			if (activeKey == null || !keys.containsKey(activeKey)) {
				throw new IllegalArgumentException("mailroom.secrets.active-key must name one of the configured keys "
						+ keys.keySet() + " (set MAILROOM_SECRETS_ACTIVE_KEY)");
			}
			keys.forEach((id, key) -> {
				byte[] bytes;
				try {
					bytes = Base64.getDecoder().decode(key);
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalArgumentException("mailroom.secrets.keys." + id + " is not base64");
				}
				if (bytes.length != 32) {
					throw new IllegalArgumentException("mailroom.secrets.keys." + id
							+ " must be 32 random bytes (256 bits), base64-encoded; it has " + bytes.length);
				}
			});
		}
	}

}
