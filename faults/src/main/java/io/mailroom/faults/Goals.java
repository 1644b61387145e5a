package io.mailroom.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The goals of "exactly once, within the mailbox's limits, under faults", checked against one ledger.
 * Each goal says what it found, so a failed one can be read without the ledger at hand.
 */
final class Goals {

	/** Exchange Online's limits per mailbox. */
	static final int MAX_CONNECTIONS = 3;

	static final int MAX_PER_MINUTE = 30;

	/** Every hostile record must be answered this fast. */
	static final Duration HOSTILE_ANSWER = Duration.ofSeconds(10);

	/**
	 * The longest a service the fault does not hit may owe mail without a result. Without a fault a service
	 * at 27 mails a minute gets one every 2–4 s; a stall of 15 s is someone else's trouble reaching it.
	 */
	static final Duration UNAFFECTED_STALL = Duration.ofSeconds(15);

	/** One goal: its name, whether the ledger meets it, and the figures behind the answer. */
	record Goal(String name, boolean met, String detail) {
	}

	private Goals() {
	}

	static List<Goal> of(Ledger ledger) {
		List<Goal> goals = new ArrayList<>();
		goals.add(new Goal("no mail lost", ledger.lost() == 0,
				ledger.lost() + " of " + ledger.requests() + " requests without a result"));
		goals.add(new Goal("nothing stuck", ledger.nonFinalRows() == 0 && ledger.missingRows() == 0,
				ledger.nonFinalRows() + " rows left QUEUED, SENDING or HELD; " + ledger.missingRows()
						+ " requests never stored"));
		goals.add(new Goal("exactly one final result per request", ledger.lost() == 0 && ledger.disagreeing() == 0,
				ledger.answered() + " of " + ledger.requests() + " answered, " + ledger.disagreeing()
						+ " with results that disagree (" + ledger.repeated() + " with a repeated result event)"));
		goals.add(new Goal("every valid mail sent", ledger.notSent() == 0,
				ledger.notSent() + " answered otherwise: " + ledger.statuses()));
		if (ledger.inFlightAtKill() != null) {
			goals.add(new Goal("duplicate mails at most those in flight at the kill",
					ledger.duplicateMails() <= ledger.inFlightAtKill(), ledger.duplicateMails()
							+ " Message-IDs delivered more than once; " + ledger.inFlightAtKill() + " in flight at the kill"));
		}
		else {
			goals.add(new Goal("no duplicate mails", ledger.duplicateMails() == 0,
					ledger.duplicateMails() + " Message-IDs delivered more than once (" + ledger.extraCopies()
							+ " extra copies)"));
		}
		goals.add(new Goal("never a 4th connection to a mailbox",
				ledger.connectionRefusals() == 0 && ledger.peakConnections() <= MAX_CONNECTIONS,
				ledger.connectionRefusals() + " refused with 432 4.3.2; at most " + ledger.peakConnections() + " held"));
		goals.add(new Goal("never a 31st message in a minute from a mailbox",
				ledger.rateRefusals() == 0 && ledger.peakPerMinute() <= MAX_PER_MINUTE,
				ledger.rateRefusals() + " refused with 421 4.4.2; at most " + ledger.peakPerMinute()
						+ " accepted in 60 s"));
		if (ledger.hostileRecords() > 0) {
			boolean fast = ledger.slowestHostileAnswer() != null
					&& ledger.slowestHostileAnswer().compareTo(HOSTILE_ANSWER) <= 0;
			goals.add(new Goal("every hostile record answered within " + seconds(HOSTILE_ANSWER),
					ledger.hostileAnswered() == ledger.hostileRecords() && fast,
					ledger.hostileAnswered() + " of " + ledger.hostileRecords() + " answered, the slowest after "
							+ seconds(ledger.slowestHostileAnswer())
							+ (ledger.unansweredHostile().isEmpty() ? "" : "; never answered: " + ledger.unansweredHostile())));
		}
		if (ledger.othersMustFlow()) {
			Duration stall = ledger.longestStallOthers();
			goals.add(new Goal("services the fault does not hit not slowed down",
					stall != null && stall.compareTo(UNAFFECTED_STALL) <= 0, "their longest stall " + seconds(stall)
							+ " (limit " + seconds(UNAFFECTED_STALL) + "); of any service " + seconds(ledger.longestStall())));
		}
		return goals;
	}

	static boolean allMet(List<Goal> goals) {
		return goals.stream().allMatch(Goal::met);
	}

	static String seconds(Duration duration) {
		return duration == null ? "-" : String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
	}

}
