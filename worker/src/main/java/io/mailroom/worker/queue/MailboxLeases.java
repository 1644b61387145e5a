package io.mailroom.worker.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.mailroom.contracts.MailroomJson;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Which worker dispatches a mailbox's mail: the {@code mailbox_lease} table. A lease is a fence, not a
 * hint. Every acquisition bumps its generation, and whoever claims, requeues or releases must prove the
 * generation it holds in the same statement (see {@link DeliveryQueue#claim}); times are the database's,
 * so workers' clocks may disagree. The row also carries what the next owner must know to keep the
 * mailbox within Exchange's limits: the permits of the sliding minute still in use, and how many SMTP
 * sessions the owner may still hold open.
 */
@Repository
public class MailboxLeases implements DisposableBean {

	private final JdbcClient jdbc;

	private final HikariDataSource ownPool;

	/**
	 * Leases get database connections of their own (a small copy of the application's pool), so that a
	 * renewal never waits for a connection behind the claims and settlements of a busy worker.
	 */
	@Autowired
	public MailboxLeases(DataSource dataSource) {
		this.ownPool = dataSource instanceof HikariDataSource hikari ? ownPool(hikari) : null;
		this.jdbc = JdbcClient.create(ownPool != null ? ownPool : dataSource);
	}

	/** Leases on the caller's connections, for tests. */
	public MailboxLeases(JdbcClient jdbc) {
		this.ownPool = null;
		this.jdbc = jdbc;
	}

	private static HikariDataSource ownPool(HikariDataSource application) {
		HikariConfig config = new HikariConfig();
		application.copyStateTo(config);
		config.setPoolName("mailroom-leases");
		config.setMaximumPoolSize(2);
		config.setMinimumIdle(0);
		config.setConnectionTimeout(Math.min(config.getConnectionTimeout(), 5_000));
		// connect on first use, as the application's pool does: a worker starts (and its AOT cache is recorded)
		// without a database, and rides out one that is down at start
		config.setInitializationFailTimeout(-1);
		config.setMetricRegistry(null);
		config.setMetricsTrackerFactory(null);
		config.setHealthCheckRegistry(null);
		return new HikariDataSource(config);
	}

	@Override
	public void destroy() {
		if (ownPool != null) {
			ownPool.close();
		}
	}

	/**
	 * Takes the lease of a mailbox if it is free, lapsed, or ours, with a new generation. Taking over from
	 * another worker records how many sessions that worker reported and until when they may stay open
	 * ({@code sessionGrace} after its lease lapsed: by then a live worker has closed them).
	 * @return the lease, or empty if another worker holds it
	 */
	public Optional<Lease> acquire(String mailbox, String worker, Duration ttl, Duration sessionGrace) {
		return jdbc.sql("""
				insert into mailbox_lease as l (mailbox, owner, generation, lease_until)
				values (:mailbox, :worker, 1, now() + :ttl * interval '1 millisecond')
				on conflict (mailbox) do update set
				  owner = :worker, generation = l.generation + 1, lease_until = excluded.lease_until, connections = 0,
				  previous_owner = case when l.owner = :worker then l.previous_owner else l.owner end,
				  previous_connections = case when l.owner = :worker then l.previous_connections else l.connections end,
				  previous_until = case when l.owner = :worker then l.previous_until
				                   else l.lease_until + :grace * interval '1 millisecond' end
				where l.owner = :worker or l.lease_until < now()
				returning l.generation,""" + REMAINING_WINDOW + ", " + FOREIGN_SESSIONS)
			.param("mailbox", mailbox)
			.param("worker", worker)
			.param("ttl", ttl.toMillis())
			.param("grace", sessionGrace.toMillis())
			.query((rs, n) -> new Lease(mailbox, rs.getLong("generation"), millis(rs.getArray("permits")),
					rs.getInt("foreign_sessions")))
			.optional();
	}

	/**
	 * Renews leases we hold, saving each one's open sessions and rate window. A lease whose generation is
	 * no longer ours (it lapsed and someone else took it) is not renewed.
	 * @return the renewed leases with the sessions other workers may still hold on each; a mailbox missing
	 *     from the answer is lost
	 */
	@Transactional
	public Map<String, Integer> renew(String worker, Duration ttl, Collection<Held> held) {
		if (held.isEmpty()) {
			return Map.of();
		}
		List<Map<String, Object>> rows = new ArrayList<>(held.size());
		for (Held h : held) {
			rows.add(Map.of("mailbox", h.mailbox(), "generation", h.generation(), "sessions", h.sessions(),
					"permits", h.window()));
		}
		Map<String, Integer> renewed = new java.util.HashMap<>();
		jdbc.sql("""
				update mailbox_lease l set lease_until = now() + :ttl * interval '1 millisecond',
				  connections = v.sessions, rate_window = array(
				    select now() + w * interval '1 millisecond' from unnest(v.permits) w)
				from jsonb_to_recordset(cast(:held as jsonb)) as v(mailbox text, generation bigint, sessions int,
				  permits bigint[])
				where l.mailbox = v.mailbox and l.owner = :worker and l.generation = v.generation
				returning l.mailbox, """ + FOREIGN_SESSIONS)
			.param("ttl", ttl.toMillis())
			.param("worker", worker)
			.param("held", MailroomJson.mapper().writeValueAsString(rows))
			.query((rs, n) -> renewed.put(rs.getString("mailbox"), rs.getInt("foreign_sessions")))
			.list();
		return renewed;
	}

	/**
	 * Gives a lease up, keeping its rate window for the next owner. Only the generation we hold can be
	 * released, so a late release never frees a lease someone else holds now.
	 */
	public boolean release(Held held, String worker) {
		return jdbc.sql("""
				update mailbox_lease set lease_until = now(), connections = :sessions,
				  rate_window = array(select now() + w * interval '1 millisecond' from unnest(cast(:window as bigint[])) w)
				where mailbox = :mailbox and owner = :worker and generation = :generation""")
			.param("sessions", held.sessions())
			.param("window", held.window().toArray(Long[]::new))
			.param("mailbox", held.mailbox())
			.param("worker", worker)
			.param("generation", held.generation())
			.update() == 1;
	}

	/**
	 * Reports the sessions this worker still has open on a mailbox whose lease it lost, so the new owner
	 * need not wait for the grace period to pass once they are closed.
	 */
	public void reportLostSessions(String mailbox, String worker, int sessions) {
		jdbc.sql("""
				update mailbox_lease set previous_connections = least(previous_connections, :sessions)
				where mailbox = :mailbox and previous_owner = :worker and owner <> :worker""")
			.param("sessions", sessions)
			.param("mailbox", mailbox)
			.param("worker", worker)
			.update();
	}

	/** Who holds the lease of a mailbox now, if anyone. */
	public Optional<String> holder(String mailbox) {
		return jdbc.sql("select owner from mailbox_lease where mailbox = ? and lease_until >= now()")
			.param(mailbox)
			.query(String.class)
			.optional();
	}

	/** The permits still in use, as milliseconds from now until each frees up. */
	private static final String REMAINING_WINDOW = """
			 array(select (extract(epoch from (w - now())) * 1000)::bigint from unnest(l.rate_window) w
			       where w > now() order by w) as permits""";

	/** Sessions a previous owner may still hold open. */
	private static final String FOREIGN_SESSIONS = """
			 case when l.previous_until > now() and l.previous_owner is distinct from l.owner
			      then l.previous_connections else 0 end as foreign_sessions""";

	private static List<Long> millis(java.sql.Array array) throws java.sql.SQLException {
		if (array == null) {
			return List.of();
		}
		Long[] values = (Long[]) array.getArray();
		return List.of(values);
	}

	/**
	 * A lease just acquired.
	 * @param window the previous owners' permits still in use, in milliseconds from now until each frees up
	 * @param foreignSessions SMTP sessions a previous owner may still hold open on the mailbox
	 */
	public record Lease(String mailbox, long generation, List<Long> window, int foreignSessions) {
	}

	/**
	 * A lease as its owner reports it.
	 * @param sessions SMTP sessions this worker has open on the mailbox
	 * @param window permits in use, in milliseconds from now until each frees up (conservative for mail
	 *     claimed but not sent yet)
	 */
	public record Held(String mailbox, long generation, int sessions, List<Long> window) {
	}

}
