package io.mailroom.sandbox;

import java.time.Instant;

/**
 * A client secret of an app registration, as the Entra portal shows it once: its ID (a GUID, which people
 * paste by mistake: AADSTS7000215) and its value (the actual secret).
 *
 * @param id the secret ID
 * @param value the secret value
 * @param expiresAt when the secret stops working (AADSTS7000222)
 */
public record ClientSecret(String id, String value, Instant expiresAt) {

	@Override
	public String toString() {
		return "ClientSecret[id=" + this.id + ", expiresAt=" + this.expiresAt + "]";
	}

}
