package io.mailroom.core.tokens;

import java.util.UUID;

/**
 * A service's MSAL token cache as last saved.
 *
 * @param version grows with every save; pass it back to {@link TokenCaches#compareAndSet}
 * @param json MSAL's serialized cache (holds the refresh token: never log it)
 */
public record StoredTokenCache(UUID serviceId, long version, String json) {

	@Override
	public String toString() {
		return "StoredTokenCache[serviceId=" + serviceId + ", version=" + version + "]";
	}

}
