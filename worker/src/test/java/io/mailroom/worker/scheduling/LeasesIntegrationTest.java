package io.mailroom.worker.scheduling;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import io.mailroom.testing.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Leases in a real PostgreSQL: who may dispatch a service, and when a lease counts as lost. */
class LeasesIntegrationTest {

	private static final Duration TTL = Duration.ofSeconds(15);

	private static JdbcClient jdbc;

	@BeforeAll
	static void migrate() {
		DataSource database = TestPostgres.dataSource(TestPostgres.newDatabase());
		Flyway.configure().dataSource(database).load().migrate();
		jdbc = JdbcClient.create(database);
	}

	@Test
	void aServiceIsDispatchedByOneWorkerAtATime() {
		Leases first = new Leases(jdbc, "worker-1", TTL);
		Leases second = new Leases(jdbc, "worker-2", TTL);
		UUID service = UUID.randomUUID();

		assertThat(first.acquire(service)).isTrue();
		assertThat(second.acquire(service)).isFalse();
		assertThat(first.acquire(service)).as("acquiring again what is ours").isTrue();
		first.release(service);
		assertThat(second.acquire(service)).isTrue();
	}

	@Test
	void renewingReportsOnlyTheLeasesAnotherWorkerHolds() {
		Leases first = new Leases(jdbc, "worker-1", TTL);
		Leases second = new Leases(jdbc, "worker-2", TTL);
		UUID kept = UUID.randomUUID();
		UUID takenOver = UUID.randomUUID();
		first.acquire(kept);
		first.acquire(takenOver);
		jdbc.sql("update service_lease set lease_until = now() - interval '1 second' where service_id = ?")
			.param(takenOver)
			.update();
		assertThat(second.acquire(takenOver)).as("a lapsed lease is free").isTrue();

		assertThat(first.renew(List.of(kept, takenOver))).containsExactly(takenOver);
		assertThat(first.holder(takenOver)).contains("worker-2");
		assertThat(owner(kept)).isEqualTo("worker-1");
		assertThat(owner(takenOver)).isEqualTo("worker-2");
	}

	@Test
	void aLeaseReleasedUnderARunningLaneIsTakenBackOnRenewal() {
		// A closing lane releases the lease just after the service's next lane acquired it
		Leases worker = new Leases(jdbc, "worker-1", TTL);
		UUID service = UUID.randomUUID();
		worker.acquire(service);
		worker.release(service);

		assertThat(worker.renew(List.of(service))).isEmpty();
		assertThat(owner(service)).isEqualTo("worker-1");
		assertThat(new Leases(jdbc, "worker-2", TTL).acquire(service)).isFalse();
	}

	private static String owner(UUID service) {
		return jdbc.sql("select owner from service_lease where service_id = ?").param(service).query(String.class).single();
	}

}
