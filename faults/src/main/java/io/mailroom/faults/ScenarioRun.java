package io.mailroom.faults;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import io.mailroom.contracts.MailroomJson;
import io.mailroom.faults.FloodPlan.Planned;
import io.mailroom.faults.Observations.Accepted;
import io.mailroom.faults.Observations.DeadLetter;
import io.mailroom.faults.Observations.HostileRecord;
import io.mailroom.faults.Observations.MailboxLimits;
import io.mailroom.faults.Observations.Request;
import io.mailroom.faults.Observations.Result;
import io.mailroom.sandbox.ReceivedMessage;
import io.mailroom.sandbox.SandboxStats;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One scenario on the stage: its fleet, its flood, its fault on a thread of its own, the wait for the last
 * answers, and what was observed afterwards.
 */
final class ScenarioRun {

	private final Stage stage;

	private final Options options;

	private final Scenario scenario;

	private final Consumer<String> progress;

	private Fleet fleet;

	private Flood flood;

	private FaultContext fault;

	private Instant floodEnd;

	ScenarioRun(Stage stage, Options options, Scenario scenario, Consumer<String> progress) {
		this.stage = stage;
		this.options = options;
		this.scenario = scenario;
		this.progress = message -> progress.accept(scenario.title() + ": " + message);
	}

	/** Runs the scenario and returns what it left behind. */
	Observations run() {
		progress.accept("creating " + options.services() + " services over " + options.mailboxes() + " mailboxes");
		fleet = Fleet.create(stage, scenario.title(), options.mailboxes(), options.sharedMailboxes());
		FloodPlan plan = scenario.plan(fleet, options);
		flood = new Flood(plan, stage.producer);
		fault = new FaultContext(stage, fleet, flood, options, progress);
		progress.accept("flooding " + plan.valid().size() + " mails"
				+ (plan.hostile().isEmpty() ? "" : " and " + plan.hostile().size() + " hostile records") + " over "
				+ Goals.seconds(plan.duration()));
		flood.start();
		Thread injector = Thread.ofPlatform().name("fault-" + scenario.title()).start(() -> scenario.inject(fault));
		floodEnd = flood.awaitEnd();
		join(injector);
		Instant over = latest(floodEnd, fault.end(), flood.startedAt().plus(plan.drained()));
		progress.accept("flood published; waiting for the last answers (at most " + Goals.seconds(options.settle())
				+ " after the flood and the fault, or until a minute passes without one)");
		AnswerWatch watch = new AnswerWatch(over);
		try {
			Awaitility.await("every request of " + scenario.title() + " answered")
				.atMost(Duration.between(Instant.now(), over.plus(options.settle())).plusSeconds(1))
				.pollInterval(Duration.ofSeconds(1))
				.until(watch::settled);
		}
		catch (ConditionTimeoutException ex) {
			progress.accept("not everything was answered within the settle time");
		}
		if (watch.quiet) {
			progress.accept("no answer for a minute: what is left is stuck");
		}
		return observe();
	}

	private static void join(Thread thread) {
		try {
			thread.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static Instant latest(Instant... moments) {
		return Arrays.stream(moments).filter(Objects::nonNull).max(Instant::compareTo).orElseThrow();
	}

	/**
	 * Whether waiting for answers can stop: every request and hostile record answered, or, once the flood and
	 * the fault are over, a minute without a new answer (retries come back sooner; what is left is stuck).
	 */
	private final class AnswerWatch {

		private static final Duration QUIET = Duration.ofMinutes(1);

		private final Instant over;

		private int answered = -1;

		private Instant changed;

		private boolean quiet;

		AnswerWatch(Instant over) {
			this.over = over;
			this.changed = over;
		}

		boolean settled() {
			Ledger ledger = Ledger.of(observeAnswers());
			if (ledger.lost() == 0 && ledger.hostileAnswered() == ledger.hostileRecords()) {
				return true;
			}
			int now = ledger.answered() + ledger.hostileAnswered();
			if (now != answered) {
				answered = now;
				changed = latest(Instant.now(), over);
			}
			quiet = Instant.now().isAfter(changed.plus(QUIET));
			return quiet;
		}

	}

	/** Only what answers need: cheap enough to ask every second. */
	private Observations observeAnswers() {
		return observations(List.of(), Map.of(), Map.of());
	}

	/** Everything, as it stands now (also after later scenarios, to find what came late). */
	Observations observe() {
		return observations(accepted(), rows(), limits());
	}

	private Observations observations(List<Accepted> accepted, Map<UUID, String> rows,
			Map<String, MailboxLimits> limits) {
		Map<String, List<Fleet.Sender>> byMailbox = fleet.byMailbox();
		List<Request> requests = new ArrayList<>();
		List<HostileRecord> hostile = new ArrayList<>();
		Set<String> ids = new HashSet<>();
		Set<String> markers = new HashSet<>();
		for (Planned record : flood.plan().records()) {
			Instant published = flood.publishedAt(record);
			if (published == null) {
				continue;
			}
			ids.add(record.requestId().toString());
			if (record.hostile()) {
				hostile.add(new HostileRecord(record.marker(), record.hostileKind(), record.requestId(), published));
				markers.add(record.marker());
			}
			else {
				requests.add(new Request(record.requestId(), record.sender().serviceId(), record.sender().tenant(),
						record.sender().mailbox(), byMailbox.get(record.sender().mailbox()).size() > 1, published));
			}
		}
		List<Result> results = new ArrayList<>();
		for (ConsumerRecord<String, byte[]> record : stage.results.records()) {
			if (record.key() != null && ids.contains(record.key())) {
				String status = MailroomJson.mapper().readTree(record.value()).path("status").asString();
				results.add(new Result(UUID.fromString(record.key()), status, Instant.ofEpochMilli(record.timestamp())));
			}
		}
		List<DeadLetter> deadLetters = new ArrayList<>();
		if (!markers.isEmpty()) {
			for (ConsumerRecord<String, byte[]> record : stage.deadLetters.records()) {
				Header marker = record.headers().lastHeader(FloodPlan.HOSTILE_HEADER);
				String value = marker == null ? null : new String(marker.value(), StandardCharsets.UTF_8);
				if (value != null && markers.contains(value)) {
					deadLetters.add(new DeadLetter(value, Instant.ofEpochMilli(record.timestamp())));
				}
			}
		}
		return new Observations(scenario.title(), requests, hostile, results, deadLetters, rows, accepted, limits,
				flood.startedAt(), floodEnd, fault.start(), fault.end(), Instant.now(), fault.inFlightAtKill(),
				fault.affected(), fault.othersMustFlow(), fault.notes());
	}

	private List<Accepted> accepted() {
		Set<String> mailboxes = new HashSet<>(fleet.mailboxes());
		List<Accepted> accepted = new ArrayList<>();
		for (ReceivedMessage message : stage.sandbox.mailbox().messages()) {
			if (mailboxes.contains(message.mailbox())) {
				accepted.add(new Accepted(message.messageId().orElse("(none) " + message.queueId()), message.mailbox(),
						message.receivedAt()));
			}
		}
		return accepted;
	}

	private Map<UUID, String> rows() {
		List<UUID> ids = flood.plan().records().stream().map(Planned::requestId).toList();
		Map<UUID, String> rows = new HashMap<>();
		stage.jdbc()
			.sql("select request_id, status from delivery where request_id = any(cast(? as uuid[]))")
			.param(Sql.uuidArray(ids))
			.query((rs, n) -> Map.entry(UUID.fromString(rs.getString(1)), rs.getString(2)))
			.list()
			.forEach(row -> rows.put(row.getKey(), row.getValue()));
		return rows;
	}

	private Map<String, MailboxLimits> limits() {
		SandboxStats stats = stage.sandbox.stats();
		Map<String, MailboxLimits> limits = new LinkedHashMap<>();
		for (String mailbox : fleet.mailboxes()) {
			limits.put(mailbox, new MailboxLimits(stats.connectionLimitRefusals(mailbox), stats.rateLimitRefusals(mailbox),
					stats.peakConcurrentConnections(mailbox), stats.peakMessagesPerMinute(mailbox)));
		}
		return limits;
	}

	Scenario scenario() {
		return scenario;
	}

}
