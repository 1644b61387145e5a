package io.mailroom.sandbox;

import java.util.Optional;

/**
 * The tenant part of an identity platform URL: a tenant ID or domain, or {@code common} /
 * {@code organizations} (any work account; the account's own tenant applies).
 *
 * @param value the segment as requested
 * @param tenant the tenant named, or null for {@code common} and {@code organizations}
 */
record TenantSegment(String value, Tenant tenant) {

	/** The segment, if it names a known tenant or is {@code common} or {@code organizations}. */
	static Optional<TenantSegment> resolve(Directory directory, String value) {
		String segment = Directory.normalize(value);
		// The sandbox only has work accounts: "consumers" (personal Microsoft accounts) names no tenant here.
		if (segment.equals("common") || segment.equals("organizations")) {
			return Optional.of(new TenantSegment(segment, null));
		}
		return directory.tenant(segment).map((tenant) -> new TenantSegment(segment, tenant));
	}

	boolean specific() {
		return this.tenant != null;
	}

	/** Whether an account of this tenant may sign in through this segment. */
	boolean admits(String tenantId) {
		return !specific() || this.tenant.id().equals(tenantId);
	}

	/** How error texts name the directory. */
	String directoryName() {
		return specific() ? this.tenant.id() : this.value;
	}

}
