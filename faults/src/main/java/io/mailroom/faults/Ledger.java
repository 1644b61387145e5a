package io.mailroom.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.mailroom.faults.Observations.Accepted;
import io.mailroom.faults.Observations.HostileRecord;
import io.mailroom.faults.Observations.MailboxLimits;
import io.mailroom.faults.Observations.Request;
import io.mailroom.faults.Observations.Result;

/**
 * One scenario's ledger: what became of every request, counted from what was observed.
 *
 * @param scenario the scenario
 * @param requests valid mails published
 * @param answered requests with at least one result event (results are deduplicated by requestId)
 * @param repeated requests with more than one result event
 * @param disagreeing requests whose result events do not agree on the status
 * @param lost requests without any result event
 * @param statuses answered requests by the status of their first result
 * @param nonFinalRows rows of the scenario's requests (valid and hostile) still QUEUED, SENDING or HELD
 * @param missingRows valid requests without any row in {@code delivery} (never stored)
 * @param duplicateMails Message-IDs the stand-in accepted more than once in the scenario's mailboxes
 * @param extraCopies copies beyond the first of those
 * @param connectionRefusals {@code 432 4.3.2} answers (a 4th concurrent connection to a mailbox)
 * @param rateRefusals {@code 421 4.4.2} answers (a 31st message in a minute from a mailbox)
 * @param peakConnections the most connections one mailbox held at once
 * @param peakPerMinute the most messages one mailbox had accepted within 60 s
 * @param recovery from the fault's end to the last result, null without a fault or while mail is lost
 * @param p50 median time from publishing to the first result
 * @param p99 99th percentile of the same
 * @param longestStall the longest time any service owed mail without a result coming
 * @param longestStallOthers the same over the services the fault does not hit directly and whose mailbox is
 *     their own (a shared mailbox's services wait for each other), null when the fault hits no service
 * @param othersMustFlow whether those services must keep their pace (a goal of the scenario)
 * @param hostileRecords hostile records published
 * @param hostileAnswered of those, answered by a result or a dead-letter copy
 * @param slowestHostileAnswer the longest a hostile record waited for its answer (null if none was answered)
 * @param unansweredHostile the kinds of hostile records never answered
 * @param inFlightAtKill mails in flight at a worker's kill (claimed by it and already accepted), or null
 * @param lostByMailbox lost requests per mailbox (a shared mailbox is marked so)
 * @param refusedByMailbox the mailboxes that met a limit, with what the stand-in saw of them
 * @param notes what the scenario did
 */
record Ledger(String scenario, int requests, int answered, int repeated, int disagreeing, int lost,
		Map<String, Integer> statuses, int nonFinalRows, int missingRows, int duplicateMails, int extraCopies,
		long connectionRefusals, long rateRefusals, int peakConnections, int peakPerMinute, Duration recovery,
		Duration p50, Duration p99, Duration longestStall, Duration longestStallOthers, boolean othersMustFlow,
		int hostileRecords, int hostileAnswered, Duration slowestHostileAnswer,
		List<String> unansweredHostile, Integer inFlightAtKill, Map<String, Integer> lostByMailbox,
		Map<String, MailboxLimits> refusedByMailbox, List<String> notes) {

	private static final Set<String> NON_FINAL = Set.of("QUEUED", "SENDING", "HELD");

	static Ledger of(Observations seen) {
		Map<UUID, List<Result>> byRequest = new HashMap<>();
		for (Result result : seen.results()) {
			byRequest.computeIfAbsent(result.requestId(), id -> new ArrayList<>()).add(result);
		}
		int answered = 0;
		int repeated = 0;
		int disagreeing = 0;
		Map<String, Integer> statuses = new TreeMap<>();
		Map<UUID, Instant> firstResult = new HashMap<>();
		List<Duration> latencies = new ArrayList<>();
		Instant lastResult = null;
		for (Request request : seen.requests()) {
			List<Result> events = byRequest.getOrDefault(request.requestId(), List.of());
			if (events.isEmpty()) {
				continue;
			}
			answered++;
			repeated += events.size() > 1 ? 1 : 0;
			disagreeing += events.stream().map(Result::status).distinct().count() > 1 ? 1 : 0;
			Result first = events.stream().min(Comparator.comparing(Result::at)).orElseThrow();
			statuses.merge(first.status(), 1, Integer::sum);
			firstResult.put(request.requestId(), first.at());
			latencies.add(Duration.between(request.publishedAt(), first.at()));
			lastResult = (lastResult == null || first.at().isAfter(lastResult)) ? first.at() : lastResult;
		}
		int lost = seen.requests().size() - answered;
		Set<String> shared = new HashSet<>();
		seen.requests().stream().filter(Request::sharedMailbox).forEach(r -> shared.add(r.mailbox()));
		Map<String, Integer> lostByMailbox = new TreeMap<>();
		seen.requests()
			.stream()
			.filter(r -> !byRequest.containsKey(r.requestId()))
			.forEach(r -> lostByMailbox.merge(label(r.mailbox(), shared), 1, Integer::sum));
		Map<String, MailboxLimits> refused = new TreeMap<>();
		seen.mailboxes()
			.forEach((mailbox, limits) -> {
				if (limits.connectionRefusals() + limits.rateRefusals() > 0) {
					refused.put(label(mailbox, shared), limits);
				}
			});
		Set<UUID> ours = new HashSet<>();
		seen.requests().forEach(r -> ours.add(r.requestId()));
		seen.hostile().forEach(h -> ours.add(h.requestId()));
		int nonFinal = (int) seen.rows()
			.entrySet()
			.stream()
			.filter(row -> ours.contains(row.getKey()) && NON_FINAL.contains(row.getValue()))
			.count();
		int missing = (int) seen.requests().stream().filter(r -> !seen.rows().containsKey(r.requestId())).count();

		Map<String, Long> copies = seen.accepted()
			.stream()
			.collect(Collectors.groupingBy(Accepted::messageId, Collectors.counting()));
		int duplicates = (int) copies.values().stream().filter(n -> n > 1).count();
		int extra = (int) copies.values().stream().mapToLong(n -> n - 1).sum();

		Duration recovery = (seen.faultEnd() == null || lost > 0 || lastResult == null) ? null
				: positive(Duration.between(seen.faultEnd(), lastResult));
		latencies.sort(Comparator.naturalOrder());

		Map<UUID, Duration> stalls = stalls(seen.requests(), firstResult, seen.observedAt());
		Duration longest = stalls.values().stream().max(Comparator.naturalOrder()).orElse(Duration.ZERO);
		Duration others = seen.affected().isEmpty() ? null
				: longestOf(stalls, seen.requests(), r -> !seen.affected().contains(r.serviceId()) && !r.sharedMailbox());

		Map<String, Instant> deadLettered = new HashMap<>();
		seen.deadLetters().forEach(d -> deadLettered.merge(d.marker(), d.at(), (a, b) -> a.isBefore(b) ? a : b));
		Duration slowest = null;
		List<String> unanswered = new ArrayList<>();
		int hostileAnswered = 0;
		for (HostileRecord record : seen.hostile()) {
			Instant byResult = byRequest.getOrDefault(record.requestId(), List.of())
				.stream()
				.map(Result::at)
				.min(Comparator.naturalOrder())
				.orElse(null);
			Instant at = earliest(byResult, deadLettered.get(record.marker()));
			if (at == null) {
				unanswered.add(record.kind());
				continue;
			}
			hostileAnswered++;
			Duration wait = positive(Duration.between(record.publishedAt(), at));
			slowest = (slowest == null || wait.compareTo(slowest) > 0) ? wait : slowest;
		}

		return new Ledger(seen.scenario(), seen.requests().size(), answered, repeated, disagreeing, lost, statuses,
				nonFinal, missing, duplicates, extra,
				seen.mailboxes().values().stream().mapToLong(MailboxLimits::connectionRefusals).sum(),
				seen.mailboxes().values().stream().mapToLong(MailboxLimits::rateRefusals).sum(),
				seen.mailboxes().values().stream().mapToInt(MailboxLimits::peakConnections).max().orElse(0),
				seen.mailboxes().values().stream().mapToInt(MailboxLimits::peakPerMinute).max().orElse(0), recovery,
				percentile(latencies, 0.50), percentile(latencies, 0.99), longest, others, seen.othersMustFlow(),
				seen.hostile().size(), hostileAnswered, slowest, unanswered.stream().distinct().toList(),
				seen.inFlightAtKill(), lostByMailbox, refused, seen.notes());
	}

	private static String label(String mailbox, Set<String> shared) {
		return shared.contains(mailbox) ? mailbox + " (shared)" : mailbox;
	}

	/**
	 * Per service, the longest time it owed mail (some published request without a result) while no result
	 * came: from the later of its last result and the publishing of the oldest request then owed, to its next
	 * result, or to {@code until} for mail never answered.
	 */
	static Map<UUID, Duration> stalls(List<Request> requests, Map<UUID, Instant> firstResult, Instant until) {
		record Event(Instant at, boolean published) {
		}
		Map<UUID, List<Event>> byService = new LinkedHashMap<>();
		for (Request request : requests) {
			List<Event> events = byService.computeIfAbsent(request.serviceId(), s -> new ArrayList<>());
			events.add(new Event(request.publishedAt(), true));
			Instant result = firstResult.get(request.requestId());
			if (result != null) {
				events.add(new Event(result.isBefore(request.publishedAt()) ? request.publishedAt() : result, false));
			}
		}
		Map<UUID, Duration> stalls = new HashMap<>();
		byService.forEach((service, events) -> {
			events.sort(Comparator.comparing(Event::at).thenComparing(e -> !e.published()));
			int owed = 0;
			Instant owedSince = null;
			Duration longest = Duration.ZERO;
			for (Event event : events) {
				if (event.published()) {
					if (owed++ == 0) {
						owedSince = event.at();
					}
					continue;
				}
				Duration stall = Duration.between(owedSince, event.at());
				longest = stall.compareTo(longest) > 0 ? stall : longest;
				owedSince = event.at();
				owed--;
			}
			if (owed > 0 && until != null) {
				Duration stall = positive(Duration.between(owedSince, until));
				longest = stall.compareTo(longest) > 0 ? stall : longest;
			}
			stalls.put(service, longest);
		});
		return stalls;
	}

	private static Duration longestOf(Map<UUID, Duration> stalls, List<Request> requests, Predicate<Request> which) {
		return requests.stream()
			.filter(which)
			.map(Request::serviceId)
			.distinct()
			.map(stalls::get)
			.filter(Objects::nonNull)
			.max(Comparator.naturalOrder())
			.orElse(Duration.ZERO);
	}

	private static Duration percentile(List<Duration> sorted, double p) {
		if (sorted.isEmpty()) {
			return null;
		}
		int index = (int) Math.ceil(p * sorted.size()) - 1;
		return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
	}

	private static Instant earliest(Instant a, Instant b) {
		if (a == null) {
			return b;
		}
		return (b == null || a.isBefore(b)) ? a : b;
	}

	private static Duration positive(Duration duration) {
		return duration.isNegative() ? Duration.ZERO : duration;
	}

	/** Answered valid mails whose result is not SENT. */
	int notSent() {
		return answered - statuses.getOrDefault("SENT", 0);
	}

}
