package io.mailroom.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.mailroom.faults.Fleet.Sender;
import io.mailroom.sandbox.ReceivedMessage;
import io.mailroom.testing.process.AppProcess;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The faults, each selectable by name: what it publishes (the steady flood unless it says otherwise) and
 * what it does to the processes or the stand-in while the flood runs. Faults start a third into the flood,
 * so there is traffic before, during and after them.
 */
enum Scenario {

	NONE("none", "no fault: the baseline every other scenario is read against") {
		@Override
		void inject(FaultContext fault) {
		}
	},

	WORKER_KILL("worker-kill", "SIGKILL the worker holding most leases mid-flood, then start it again") {
		@Override
		void inject(FaultContext fault) {
			fault.waitUntil(fault.flood.at(FAULT_AT));
			AppProcess worker = fault.busiestWorker();
			long pid = worker.pid();
			fault.started("SIGKILL " + worker.name() + " (pid " + pid + ")");
			Instant killed = Instant.now();
			worker.kill();
			// read at once: the claims are the dead worker's until its lease lapses and another takes them
			List<UUID> claimed = fault.stage.jdbc()
				.sql("select request_id, claimed_by from delivery where status = 'SENDING' and service_id = any(cast(? as uuid[]))")
				.param(Sql.uuidArray(fault.fleet.senders().stream().map(Sender::serviceId).toList()))
				.query((rs, n) -> Map.entry(UUID.fromString(rs.getString("request_id")), rs.getString("claimed_by")))
				.list()
				.stream()
				.filter(claim -> Sql.ownedBy(claim.getValue(), pid))
				.map(Map.Entry::getKey)
				.toList();
			int inFlight = acceptedBy(fault, claimed, killed.plusSeconds(1));
			fault.inFlightAtKill(inFlight);
			fault.note(worker.name() + " had " + claimed.size() + " mails claimed at the kill, " + inFlight
					+ " of them already accepted by the stand-in (in flight)");
			worker.restart();
			fault.ended(worker.name() + " restarted (pid " + worker.pid() + ")");
		}
	},

	WORKER_FREEZE("worker-freeze",
			"SIGSTOP the worker holding most leases for twice the lease TTL (15 s), then SIGCONT: the case for fencing") {
		@Override
		void inject(FaultContext fault) {
			fault.waitUntil(fault.flood.at(FAULT_AT));
			AppProcess worker = fault.busiestWorker();
			fault.started("SIGSTOP " + worker.name() + " for " + FREEZE.toSeconds() + " s");
			worker.freeze();
			fault.pause(FREEZE);
			worker.thaw();
			fault.ended("SIGCONT " + worker.name());
		}
	},

	BROKER_STOP("broker-stop", "stop the Kafka broker for 20 s mid-flood (SIGTERM), then start it on the same port and log") {
		@Override
		void inject(FaultContext fault) {
			fault.waitUntil(fault.flood.at(FAULT_AT));
			fault.started("Stopping Kafka");
			fault.stage.kafka.stop();
			fault.pause(OUTAGE);
			fault.stage.kafka.restart();
			fault.ended("Kafka is back");
		}
	},

	DATABASE_STOP("database-stop", "stop PostgreSQL for 20 s mid-flood (fast shutdown), then start it on the same port and data") {
		@Override
		void inject(FaultContext fault) {
			fault.waitUntil(fault.flood.at(FAULT_AT));
			stopDatabase(fault);
		}
	},

	DATABASE_STOP_BACKLOG("database-stop-backlog",
			"queue a backlog on 4 services at once, then stop PostgreSQL for 20 s while it drains") {
		@Override
		FloodPlan plan(Fleet fleet, Options options) {
			return FloodPlan.backlog(fleet, options, backlogged(fleet), options.backlog());
		}

		@Override
		void inject(FaultContext fault) {
			fault.affects(backlogged(fault.fleet).stream().map(Sender::serviceId).toList(), false);
			fault.waitUntil(fault.flood.startedAt().plus(BACKLOG_DRAINING));
			stopDatabase(fault);
		}

		private List<Sender> backlogged(Fleet fleet) {
			return Stream.of('A', 'B').flatMap(t -> fleet.soleSenders(t).stream().limit(2)).toList();
		}
	},

	SMTP_HANG("smtp-hang", "SMTP stops answering 4 mailboxes (AUTH, MAIL) for 70 s, past the worker's 60 s read timeout") {
		@Override
		void inject(FaultContext fault) {
			fault.waitUntil(fault.flood.at(FAULT_AT));
			// tenant A's first two mailboxes (its shared one, if any, first), two of B's own
			List<String> hung = new ArrayList<>(fault.fleet.mailboxes('A').subList(0, 2));
			fault.fleet.soleSenders('B').stream().limit(2).forEach(s -> hung.add(s.mailbox()));
			fault.affects(fault.fleet.senders().stream().filter(s -> hung.contains(s.mailbox())).map(Sender::serviceId)
				.toList(), false);
			fault.started("SMTP hangs for " + hung);
			List<io.mailroom.sandbox.Scenario> hangs = hung.stream().map(m -> fault.stage.sandbox.scenarios().smtpHang(m)).toList();
			fault.pause(SMTP_HANG_TIME);
			hangs.forEach(io.mailroom.sandbox.Scenario::clear);
			fault.ended("SMTP answers again");
		}
	},

	IDENTITY_OUTAGE("identity-outage",
			"tenant A's token endpoint answers 503 for 45 s, then hangs for 45 s, while access tokens expire; does tenant B stall?") {
		@Override
		void inject(FaultContext fault) {
			fault.affects(fault.fleet.senders().stream().filter(s -> s.tenant() == 'A').map(Sender::serviceId).toList(),
					true);
			fault.waitUntil(fault.flood.at(FAULT_AT));
			fault.started("Identity platform answers 503 for tenant A");
			var outage = fault.stage.sandbox.scenarios().identityOutage(fault.fleet.tenantA());
			fault.pause(IDENTITY_TROUBLE);
			outage.clear();
			fault.note("Identity platform hangs for tenant A");
			var hang = fault.stage.sandbox.scenarios().identityHang(fault.fleet.tenantA());
			fault.pause(IDENTITY_TROUBLE);
			hang.clear();
			fault.ended("Identity platform answers tenant A again");
		}
	},

	REVOKE("revoke", "revoke the grants of 3 of tenant A's mailboxes mid-flood, re-authorize their services through the api") {
		@Override
		void inject(FaultContext fault) {
			fault.waitUntil(fault.flood.at(FAULT_AT));
			// tenant A's first three mailboxes (its shared one, if any, first)
			List<String> mailboxes = fault.fleet.mailboxes('A').subList(0, 3);
			List<Sender> revoked = fault.fleet.senders().stream().filter(s -> mailboxes.contains(s.mailbox())).toList();
			fault.affects(revoked.stream().map(Sender::serviceId).toList(), false);
			fault.started("Revoking the grants of " + mailboxes);
			List<io.mailroom.sandbox.Scenario> revocations = mailboxes.stream()
				.map(m -> fault.stage.sandbox.scenarios().revokeGrants(m))
				.toList();
			Instant revokedAt = Instant.now();
			long marked = awaitReauthorizationNeeded(fault, revoked);
			fault.note(marked + " of " + revoked.size() + " services marked NEEDS_REAUTHORIZATION after "
					+ Duration.between(revokedAt, Instant.now()).toSeconds() + " s");
			revoked.forEach(s -> fault.stage.reauthorize(s.serviceId(), s.mailbox()));
			revocations.forEach(io.mailroom.sandbox.Scenario::clear);
			fault.ended("Re-authorized " + revoked.size() + " services through the api");
		}
	},

	HOSTILE("hostile", "hostile records of every kind interleaved with the valid flood; each must be answered within 10 s") {
		@Override
		FloodPlan plan(Fleet fleet, Options options) {
			return FloodPlan.withHostile(fleet, options, Hostile.records(fleet, options.hostile()));
		}

		@Override
		void inject(FaultContext fault) {
			fault.note(fault.flood.plan().hostile().size() + " hostile records of " + Hostile.kindNames().size()
					+ " kinds among " + fault.flood.plan().valid().size() + " valid mails");
		}
	};

	/** Faults start a third into the flood. */
	static final double FAULT_AT = 1.0 / 3;

	static final Duration FREEZE = Duration.ofSeconds(30);

	static final Duration OUTAGE = Duration.ofSeconds(20);

	static final Duration BACKLOG_DRAINING = Duration.ofSeconds(30);

	static final Duration SMTP_HANG_TIME = Duration.ofSeconds(70);

	static final Duration IDENTITY_TROUBLE = Duration.ofSeconds(45);

	/** How long a revoked grant may take to be noticed: tokens are refreshed about a minute after issue. */
	static final Duration NOTICE_REVOCATION = Duration.ofSeconds(150);

	private final String title;

	private final String description;

	Scenario(String title, String description) {
		this.title = title;
		this.description = description;
	}

	/** The name to select it by. */
	String title() {
		return title;
	}

	String description() {
		return description;
	}

	/** What the scenario publishes. */
	FloodPlan plan(Fleet fleet, Options options) {
		return FloodPlan.steady(fleet, options);
	}

	/** Waits for its moment in the flood, does its harm, undoes it; returns when it is over. */
	abstract void inject(FaultContext fault);

	static Scenario named(String name) {
		return Arrays.stream(values())
			.filter(s -> s.title.equals(name))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("Unknown scenario '" + name + "'"));
	}

	/** Every scenario with its description, for the usage text. */
	static String catalogue() {
		return Arrays.stream(values())
			.map(s -> String.format("  %-22s %s", s.title, s.description))
			.collect(Collectors.joining("\n"));
	}

	private static void stopDatabase(FaultContext fault) {
		fault.started("Stopping PostgreSQL");
		fault.stage.postgres.stop();
		fault.pause(OUTAGE);
		fault.stage.postgres.restart();
		fault.ended("PostgreSQL is back");
	}

	/** How many of the requests' mails the stand-in had accepted by {@code by} (Message-ID names the request). */
	private static int acceptedBy(FaultContext fault, List<UUID> requests, Instant by) {
		List<String> ids = requests.stream().map(UUID::toString).toList();
		List<String> mailboxes = fault.fleet.mailboxes();
		return (int) fault.stage.sandbox.mailbox()
			.messages()
			.stream()
			.filter(m -> mailboxes.contains(m.mailbox()) && !m.receivedAt().isAfter(by))
			.map(ReceivedMessage::messageId)
			.flatMap(Optional::stream)
			.map(Scenario::requestIdOf)
			.filter(ids::contains)
			.distinct()
			.count();
	}

	/** Mailroom's Message-ID is {@code <requestId@domain>}. */
	static String requestIdOf(String messageId) {
		int at = messageId.indexOf('@');
		return at < 1 ? messageId : messageId.substring(messageId.startsWith("<") ? 1 : 0, at);
	}

	private static long awaitReauthorizationNeeded(FaultContext fault, List<Sender> revoked) {
		String ids = Sql.uuidArray(revoked.stream().map(Sender::serviceId).toList());
		LongSupplier marked = () -> fault.stage.jdbc()
			.sql("select count(*) from smtp_service where id = any(cast(? as uuid[])) and status = 'NEEDS_REAUTHORIZATION'")
			.param(ids)
			.query(Long.class)
			.single();
		try {
			Awaitility.await("services marked NEEDS_REAUTHORIZATION")
				.atMost(NOTICE_REVOCATION)
				.pollInterval(Duration.ofSeconds(1))
				.until(() -> marked.getAsLong() == revoked.size());
		}
		catch (ConditionTimeoutException ex) {
			// re-authorize anyway: held mail must be released whatever the worker noticed
		}
		return marked.getAsLong();
	}

}
