package io.mailroom.faults;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What one scenario left behind, as seen from outside Mailroom: its input to {@link Ledger}.
 *
 * @param scenario the scenario's name
 * @param requests the valid mails published
 * @param hostile the hostile records published
 * @param results result events on {@code mail.send-results} for any of those requests, in arrival order
 * @param deadLetters markers of hostile records found on the dead-letter topic, with when they arrived
 * @param rows the {@code delivery} table's status of each of those requests that has a row
 * @param accepted the mails the stand-in accepted in the scenario's mailboxes
 * @param mailboxes what the stand-in's limits saw, per mailbox of the scenario
 * @param floodStart when publishing began
 * @param floodEnd when the last record was acknowledged
 * @param faultStart when the fault began, null without one
 * @param faultEnd when it was over (the process back, the scenario cleared), null without one
 * @param observedAt when this was taken: mail still owed then has waited until now
 * @param inFlightAtKill mails the killed worker had claimed that the stand-in had already accepted when it
 *     died, null unless a worker was killed
 * @param affected the services the fault hits directly (hung mailboxes, a tenant's identity trouble,
 *     revoked grants); empty when it hits the processes, which serve every service
 * @param othersMustFlow whether the services the fault does not hit must keep their pace (a goal)
 * @param notes what the scenario did, for people
 */
record Observations(String scenario, List<Request> requests, List<HostileRecord> hostile, List<Result> results,
		List<DeadLetter> deadLetters, Map<UUID, String> rows, List<Accepted> accepted, Map<String, MailboxLimits> mailboxes,
		Instant floodStart, Instant floodEnd, Instant faultStart, Instant faultEnd, Instant observedAt,
		Integer inFlightAtKill, Set<UUID> affected, boolean othersMustFlow, List<String> notes) {

	Observations {
		requests = List.copyOf(requests);
		hostile = List.copyOf(hostile);
		results = List.copyOf(results);
		deadLetters = List.copyOf(deadLetters);
		rows = Map.copyOf(rows);
		accepted = List.copyOf(accepted);
		mailboxes = Map.copyOf(mailboxes);
		affected = Set.copyOf(affected);
		notes = List.copyOf(notes);
	}

	/**
	 * A valid mail: its request, the service, tenant and mailbox it went through, whether that mailbox is
	 * shared with another service, and when it was published.
	 */
	record Request(UUID requestId, UUID serviceId, char tenant, String mailbox, boolean sharedMailbox,
			Instant publishedAt) {
	}

	/** A hostile record: its marker, what is wrong with it, the requestId it carries, when it was published. */
	record HostileRecord(String marker, String kind, UUID requestId, Instant publishedAt) {
	}

	/** One result event: the request, its status, and when it arrived (its record timestamp). */
	record Result(UUID requestId, String status, Instant at) {
	}

	record DeadLetter(String marker, Instant at) {
	}

	/** A mail the stand-in accepted: its Message-ID, the mailbox it was sent as, when. */
	record Accepted(String messageId, String mailbox, Instant at) {
	}

	/**
	 * Exchange's limits as the stand-in applied them to one mailbox.
	 * @param connectionRefusals AUTH answered {@code 432 4.3.2} (a 4th concurrent connection)
	 * @param rateRefusals MAIL FROM answered {@code 421 4.4.2} (a 31st message in a minute)
	 * @param peakConnections the most authenticated connections held at once
	 * @param peakPerMinute the most messages accepted within any 60 s
	 */
	record MailboxLimits(long connectionRefusals, long rateRefusals, int peakConnections, int peakPerMinute) {
	}

}
