package io.mailroom.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import io.mailroom.testing.process.AppProcess;

/**
 * What a scenario's fault works with while the flood runs: the stage and the fleet, the flood's clock, and
 * where it records when the fault began and ended and what it did.
 */
final class FaultContext {

	final Stage stage;

	final Fleet fleet;

	final Flood flood;

	final Options options;

	private final Consumer<String> progress;

	private final List<String> notes = new ArrayList<>();

	private final Set<UUID> affected = new HashSet<>();

	private boolean othersMustFlow;

	private Instant start;

	private Instant end;

	private Integer inFlightAtKill;

	FaultContext(Stage stage, Fleet fleet, Flood flood, Options options, Consumer<String> progress) {
		this.stage = stage;
		this.fleet = fleet;
		this.flood = flood;
		this.options = options;
		this.progress = progress;
	}

	/** Waits for a moment of the flood (a schedule: the fault comes at a planned time). */
	void waitUntil(Instant moment) {
		pause(Duration.between(Instant.now(), moment));
	}

	/** Lets the fault last (a schedule, not a condition). */
	void pause(Duration duration) {
		if (!duration.isPositive()) {
			return;
		}
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted during a fault", ex);
		}
	}

	void started(String what) {
		start = Instant.now();
		progress.accept(what);
	}

	void ended(String what) {
		end = Instant.now();
		progress.accept(what);
	}

	void note(String note) {
		notes.add(note);
		progress.accept(note);
	}

	/** The services the fault hits directly; the others' pace is measured separately. */
	void affects(Iterable<UUID> services, boolean othersMustFlow) {
		services.forEach(affected::add);
		this.othersMustFlow = othersMustFlow;
	}

	void inFlightAtKill(int mails) {
		inFlightAtKill = mails;
	}

	/** The worker that holds the most of this scenario's mailbox leases now (worker-1 if none does). */
	AppProcess busiestWorker() {
		List<String> owners = stage.jdbc()
			.sql("""
					select owner from mailbox_lease
					where mailbox in (select mailbox from smtp_service where id = any(cast(? as uuid[])))
					  and lease_until > now()""")
			.param(Sql.uuidArray(fleet.senders().stream().map(Fleet.Sender::serviceId).toList()))
			.query(String.class)
			.list();
		AppProcess busiest = stage.workers.get(0);
		long most = -1;
		for (AppProcess worker : stage.workers) {
			long held = owners.stream().filter(owner -> Sql.ownedBy(owner, worker.pid())).count();
			if (held > most) {
				most = held;
				busiest = worker;
			}
		}
		return busiest;
	}

	Instant start() {
		return start;
	}

	Instant end() {
		return end;
	}

	List<String> notes() {
		return List.copyOf(notes);
	}

	Set<UUID> affected() {
		return Set.copyOf(affected);
	}

	boolean othersMustFlow() {
		return othersMustFlow;
	}

	Integer inFlightAtKill() {
		return inFlightAtKill;
	}

}
