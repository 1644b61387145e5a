package io.mailroom.worker.scheduling;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Which worker dispatches a service's mail. Leases make Exchange's per-mailbox limits hold across all
 * workers (one owner, one rate window, one set of connections per service) and let a killed worker's
 * services move on once its leases lapse. Times come from the database clock, so workers' clocks may
 * disagree.
 */
final class Leases {

	private final JdbcClient jdbc;

	private final String worker;

	private final Duration ttl;

	Leases(JdbcClient jdbc, String worker, Duration ttl) {
		this.jdbc = jdbc;
		this.worker = worker;
		this.ttl = ttl;
	}

	/** Takes the lease of a service if it is free, lapsed or already ours. */
	boolean acquire(UUID serviceId) {
		return jdbc.sql("""
				insert into service_lease (service_id, owner, lease_until)
				values (:service, :worker, now() + :ttl * interval '1 millisecond')
				on conflict (service_id) do update set owner = :worker, lease_until = excluded.lease_until
				where service_lease.owner = :worker or service_lease.lease_until < now()""")
			.param("service", serviceId)
			.param("worker", worker)
			.param("ttl", ttl.toMillis())
			.update() == 1;
	}

	/**
	 * Renews our leases; returns the services whose lease another worker holds now. A lease without a row
	 * is nobody's, so it is taken again: that happens when a closing lane releases it just after the next
	 * lane for the same service acquired it.
	 */
	Set<UUID> renew(Collection<UUID> serviceIds) {
		if (serviceIds.isEmpty()) {
			return Set.of();
		}
		Set<UUID> renewed = new HashSet<>(jdbc.sql("""
				insert into service_lease (service_id, owner, lease_until)
				select service_id, :worker, now() + :ttl * interval '1 millisecond' from unnest(:services) as service_id
				on conflict (service_id) do update set lease_until = excluded.lease_until
				where service_lease.owner = :worker
				returning service_id""")
			.param("ttl", ttl.toMillis())
			.param("worker", worker)
			.param("services", serviceIds.toArray(UUID[]::new))
			.query(UUID.class)
			.list());
		Set<UUID> lost = new HashSet<>(serviceIds);
		lost.removeAll(renewed);
		return lost;
	}

	/** Who holds the lease of a service now, if anyone. */
	java.util.Optional<String> holder(UUID serviceId) {
		return jdbc.sql("select owner from service_lease where service_id = ? and lease_until >= now()")
			.param(serviceId)
			.query(String.class)
			.optional();
	}

	void release(UUID serviceId) {
		jdbc.sql("delete from service_lease where service_id = ? and owner = ?").params(serviceId, worker).update();
	}

}
