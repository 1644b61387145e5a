package io.mailroom.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.mailroom.contracts.MailroomJson;
import io.mailroom.contracts.SendRequest;
import io.mailroom.faults.Fleet.Sender;

/**
 * What a scenario publishes and when, relative to the flood's start: valid mails spread evenly over the
 * mailboxes at a steady rate (so that without a fault every mail is sent within a few seconds), and for
 * some scenarios a backlog queued at once or hostile records in between.
 *
 * @param records every record, in publishing order
 * @param duration when the last one is published
 * @param drained the earliest every mail can have been sent at Exchange's 30 a minute per mailbox: the
 *     flood's end, or later for a backlog
 */
record FloodPlan(List<Planned> records, Duration duration, Duration drained) {

	/** Header that marks a hostile record; the worker copies headers to the dead-letter topic. */
	static final String HOSTILE_HEADER = "faults-hostile";

	/**
	 * One record to publish.
	 * @param at when, after the flood's start
	 * @param key the record key (a serviceId, or what a hostile producer sends)
	 * @param value the record value (null for a tombstone)
	 * @param requestId the request's id, when the record carries a readable one
	 * @param sender the service a valid mail goes through, null for hostile records
	 * @param hostileKind what is wrong with a hostile record, null for valid mail
	 * @param marker a hostile record's {@link #HOSTILE_HEADER} value, null for valid mail
	 */
	record Planned(Duration at, String key, byte[] value, UUID requestId, Sender sender, String hostileKind,
			String marker) {

		boolean hostile() {
			return hostileKind != null;
		}

	}

	FloodPlan {
		records = records.stream().sorted(Comparator.comparing(Planned::at)).toList();
	}

	List<Planned> valid() {
		return records.stream().filter(p -> !p.hostile()).toList();
	}

	List<Planned> hostile() {
		return records.stream().filter(Planned::hostile).toList();
	}

	/** {@code mails} valid mails over every mailbox of the fleet at {@code ratePerMinute} each. */
	static FloodPlan steady(Fleet fleet, Options options) {
		Duration duration = options.floodDuration(options.mails(), options.mailboxes());
		return new FloodPlan(spread(fleet.scenario(), fleet.byMailbox(), options.mails(), options, Duration.ZERO, 0),
				duration, duration);
	}

	/**
	 * {@code perService} mails queued at once on each of {@code backlogged} (published within the first
	 * second), and the rest of the flood steady over the other mailboxes.
	 */
	static FloodPlan backlog(Fleet fleet, Options options, List<Sender> backlogged, int perService) {
		List<Planned> records = new ArrayList<>();
		int n = 0;
		for (int i = 0; i < perService; i++) {
			for (Sender sender : backlogged) {
				Duration at = Duration.ofMillis(1000L * n / (perService * backlogged.size()));
				records.add(mail(fleet.scenario(), sender, n++, at));
			}
		}
		Map<String, List<Sender>> others = new LinkedHashMap<>(fleet.byMailbox());
		backlogged.forEach(sender -> others.remove(sender.mailbox()));
		int rest = Math.max(0, options.mails() - n);
		records.addAll(spread(fleet.scenario(), others, rest, options, Duration.ZERO, n));
		Duration steady = options.floodDuration(rest, others.size());
		Duration duration = steady.compareTo(Duration.ofSeconds(1)) > 0 ? steady : Duration.ofSeconds(1);
		Duration drain = Duration.ofMillis(60_000L * perService / Goals.MAX_PER_MINUTE);
		return new FloodPlan(records, duration, drain.compareTo(duration) > 0 ? drain : duration);
	}

	/** The steady flood with hostile records evenly in between, from a tenth to four fifths of its duration. */
	static FloodPlan withHostile(Fleet fleet, Options options, List<Planned> hostile) {
		FloodPlan steady = steady(fleet, options);
		List<Planned> records = new ArrayList<>(steady.records());
		long from = steady.duration().toMillis() / 10;
		long span = steady.duration().toMillis() * 8 / 10 - from;
		for (int i = 0; i < hostile.size(); i++) {
			Planned record = hostile.get(i);
			Duration at = Duration.ofMillis(from + span * i / Math.max(1, hostile.size() - 1));
			records.add(new Planned(at, record.key(), record.value(), record.requestId(), null, record.hostileKind(),
					record.marker()));
		}
		return new FloodPlan(records, steady.duration(), steady.drained());
	}

	private static List<Planned> spread(String scenario, Map<String, List<Sender>> byMailbox, int mails,
			Options options, Duration start, int firstNumber) {
		List<List<Sender>> mailboxes = List.copyOf(byMailbox.values());
		List<Planned> records = new ArrayList<>(mails);
		if (mailboxes.isEmpty()) {
			return records;
		}
		double interval = 60_000.0 / (mailboxes.size() * options.ratePerMinute());
		for (int i = 0; i < mails; i++) {
			List<Sender> senders = mailboxes.get(i % mailboxes.size());
			// a shared mailbox's mails alternate between its services
			Sender sender = senders.get((i / mailboxes.size()) % senders.size());
			Duration at = start.plusMillis(Math.round(i * interval));
			records.add(mail(scenario, sender, firstNumber + i, at));
		}
		return records;
	}

	/** A valid transactional mail of about 1 KB, as a product feature sends it. */
	static Planned mail(String scenario, Sender sender, int number, Duration at) {
		SendRequest request = request(scenario, sender, number);
		return new Planned(at, sender.serviceId().toString(), MailroomJson.mapper().writeValueAsBytes(request),
				request.requestId(), sender, null, null);
	}

	static SendRequest request(String scenario, Sender sender, int number) {
		return SendRequest.builder(sender.accountId(), sender.serviceId())
			.to("reader-" + number + "@recipients.example")
			.subject("Your order " + number + " has shipped")
			.text(("Hello,\n\nyour order " + number + " is on its way. This mail was sent by the fault suite's "
					+ scenario + " scenario.\n\n").repeat(6))
			.tag("scenario", scenario)
			.tag("mail", String.valueOf(number))
			.build();
	}

}
