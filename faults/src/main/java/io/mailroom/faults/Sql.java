package io.mailroom.faults;

import java.util.Collection;
import java.util.UUID;
import java.util.stream.Collectors;

/** Small helpers for the suite's queries of Mailroom's tables. */
final class Sql {

	private Sql() {
	}

	/** A PostgreSQL array literal of UUIDs, for {@code = any(cast(? as uuid[]))}. */
	static String uuidArray(Collection<UUID> ids) {
		return ids.stream().map(UUID::toString).collect(Collectors.joining(",", "{", "}"));
	}

	/**
	 * Whether a worker id from {@code mailbox_lease.owner} or {@code delivery.claimed_by} is the process
	 * {@code pid}: a worker names itself {@code host:pid:suffix}.
	 */
	static boolean ownedBy(String owner, long pid) {
		String[] parts = owner.split(":");
		return parts.length >= 3 && parts[parts.length - 2].equals(String.valueOf(pid));
	}

}
