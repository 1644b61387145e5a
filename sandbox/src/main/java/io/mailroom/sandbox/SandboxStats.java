package io.mailroom.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters for tests to assert on: how many SMTP sessions, authentications and messages, how many token
 * requests of each grant type, and per mailbox what Exchange's limits saw (connections held at once,
 * messages in a minute, refusals for either). Counts since start or the last {@link #reset()}.
 */
public final class SandboxStats {

	private static final Duration MINUTE = Duration.ofMinutes(1);

	private final LongAdder smtpSessions = new LongAdder();

	private final LongAdder authentications = new LongAdder();

	private final LongAdder failedAuthentications = new LongAdder();

	private final LongAdder messagesAccepted = new LongAdder();

	private final LongAdder messagesRefused = new LongAdder();

	private final LongAdder authorizeRequests = new LongAdder();

	private final LongAdder tokenRequests = new LongAdder();

	private final Map<GrantType, LongAdder> tokenRequestsByGrant = new EnumMap<>(GrantType.class);

	private final Map<String, AtomicInteger> openConnections = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> peakConnections = new ConcurrentHashMap<>();

	private final Map<String, LongAdder> sessionsByMailbox = new ConcurrentHashMap<>();

	private final LongAdder graphMessages = new LongAdder();

	private final LongAdder graphThrottled = new LongAdder();

	private final Map<String, LongAdder> connectionLimitRefusals = new ConcurrentHashMap<>();

	private final Map<String, LongAdder> rateLimitRefusals = new ConcurrentHashMap<>();

	private final Map<String, AcceptedMessages> acceptedByMailbox = new ConcurrentHashMap<>();

	SandboxStats() {
		for (GrantType type : GrantType.values()) {
			this.tokenRequestsByGrant.put(type, new LongAdder());
		}
	}

	/** SMTP connections accepted. */
	public long smtpSessions() {
		return this.smtpSessions.sum();
	}

	/** Successful SMTP AUTH commands (OAuth and basic). */
	public long successfulAuthentications() {
		return this.authentications.sum();
	}

	/** Refused SMTP AUTH commands, whatever the reply. */
	public long failedAuthentications() {
		return this.failedAuthentications.sum();
	}

	/** Sessions that authenticated as this mailbox. */
	public long authenticatedSessions(String mailbox) {
		LongAdder sessions = this.sessionsByMailbox.get(Directory.normalize(mailbox));
		return (sessions != null) ? sessions.sum() : 0;
	}

	/** Messages Graph accepted ({@code 202}, or sent before a {@code 504}). */
	public long graphMessagesAccepted() {
		return this.graphMessages.sum();
	}

	/** Graph requests refused with {@code 429} by the per-app-and-mailbox limits. */
	public long graphThrottled() {
		return this.graphThrottled.sum();
	}

	void graphMessageAccepted() {
		this.graphMessages.increment();
	}

	void graphThrottledOnce() {
		this.graphThrottled.increment();
	}

	/** Messages accepted with {@code 250} after DATA. */
	public long messagesAccepted() {
		return this.messagesAccepted.sum();
	}

	/** Messages refused after DATA (transient failures, size, quota, send-as). */
	public long messagesRefused() {
		return this.messagesRefused.sum();
	}

	/** The most authenticated connections this mailbox held at once. */
	public int peakConcurrentConnections(String mailbox) {
		AtomicInteger peak = this.peakConnections.get(Directory.normalize(mailbox));
		return (peak != null) ? peak.get() : 0;
	}

	/** Messages accepted from sessions authenticated as this mailbox. */
	public long messagesAccepted(String mailbox) {
		AcceptedMessages accepted = this.acceptedByMailbox.get(Directory.normalize(mailbox));
		return (accepted != null) ? accepted.total() : 0;
	}

	/** The most messages this mailbox had accepted within any 60 seconds (Exchange allows 30). */
	public int peakMessagesPerMinute(String mailbox) {
		AcceptedMessages accepted = this.acceptedByMailbox.get(Directory.normalize(mailbox));
		return (accepted != null) ? accepted.peak() : 0;
	}

	/** AUTH commands answered {@code 432 4.3.2}: the mailbox already held its concurrent connections. */
	public long connectionLimitRefusals() {
		return sum(this.connectionLimitRefusals);
	}

	/** AUTH commands as this mailbox answered {@code 432 4.3.2}. */
	public long connectionLimitRefusals(String mailbox) {
		return count(this.connectionLimitRefusals, mailbox);
	}

	/** MAIL FROM commands answered {@code 421 4.4.2}: the mailbox had reached its messages per minute. */
	public long rateLimitRefusals() {
		return sum(this.rateLimitRefusals);
	}

	/** MAIL FROM commands of this mailbox answered {@code 421 4.4.2}. */
	public long rateLimitRefusals(String mailbox) {
		return count(this.rateLimitRefusals, mailbox);
	}

	/** Authenticated connections this mailbox holds now. */
	public int openConnections(String mailbox) {
		AtomicInteger open = this.openConnections.get(Directory.normalize(mailbox));
		return (open != null) ? open.get() : 0;
	}

	/** Requests to the authorize endpoint (sign-ins started). */
	public long authorizeRequests() {
		return this.authorizeRequests.sum();
	}

	/** Token endpoint requests, answered or refused. */
	public long tokenRequests() {
		return this.tokenRequests.sum();
	}

	/** Token endpoint requests of one grant type, answered or refused. */
	public long tokenRequests(GrantType grantType) {
		return this.tokenRequestsByGrant.get(grantType).sum();
	}

	/** Sets every counter to zero (open connections stay as they are). */
	public void reset() {
		this.smtpSessions.reset();
		this.authentications.reset();
		this.failedAuthentications.reset();
		this.messagesAccepted.reset();
		this.messagesRefused.reset();
		this.authorizeRequests.reset();
		this.tokenRequests.reset();
		this.tokenRequestsByGrant.values().forEach(LongAdder::reset);
		this.sessionsByMailbox.clear();
		this.peakConnections.clear();
		this.connectionLimitRefusals.clear();
		this.rateLimitRefusals.clear();
		this.acceptedByMailbox.clear();
	}

	/** The counters as name and value, for the control page. */
	public Map<String, Object> asMap() {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("smtpSessions", smtpSessions());
		map.put("successfulAuthentications", successfulAuthentications());
		map.put("failedAuthentications", failedAuthentications());
		map.put("messagesAccepted", messagesAccepted());
		map.put("messagesRefused", messagesRefused());
		map.put("authorizeRequests", authorizeRequests());
		map.put("tokenRequests", tokenRequests());
		for (GrantType type : GrantType.values()) {
			map.put("tokenRequests." + type.parameter(), tokenRequests(type));
		}
		Map<String, Integer> peaks = new TreeMap<>();
		this.peakConnections.forEach((mailbox, peak) -> peaks.put(mailbox, peak.get()));
		map.put("peakConcurrentConnections", peaks);
		map.put("connectionLimitRefusals", connectionLimitRefusals());
		map.put("rateLimitRefusals", rateLimitRefusals());
		Map<String, Integer> peaksPerMinute = new TreeMap<>();
		this.acceptedByMailbox.forEach((mailbox, accepted) -> peaksPerMinute.put(mailbox, accepted.peak()));
		map.put("peakMessagesPerMinute", peaksPerMinute);
		return map;
	}

	@Override
	public String toString() {
		return "SandboxStats" + asMap();
	}

	void smtpSessionOpened() {
		this.smtpSessions.increment();
	}

	void authenticationFailed() {
		this.failedAuthentications.increment();
	}

	/**
	 * Takes one of the mailbox's connection slots if fewer than {@code limit} are taken, counting a successful
	 * authentication; false if the mailbox is at its limit.
	 */
	boolean authenticated(String mailbox, int limit) {
		AtomicInteger open = this.openConnections.computeIfAbsent(mailbox, (key) -> new AtomicInteger());
		int now;
		do {
			now = open.get();
			if (now >= limit) {
				return false;
			}
		}
		while (!open.compareAndSet(now, now + 1));
		int held = now + 1;
		this.peakConnections.computeIfAbsent(mailbox, (key) -> new AtomicInteger()).accumulateAndGet(held, Math::max);
		this.authentications.increment();
		this.sessionsByMailbox.computeIfAbsent(mailbox, (key) -> new LongAdder()).increment();
		return true;
	}

	void connectionClosed(String mailbox) {
		AtomicInteger open = this.openConnections.get(mailbox);
		if (open != null) {
			open.decrementAndGet();
		}
	}

	void connectionLimitReached(String mailbox) {
		this.connectionLimitRefusals.computeIfAbsent(mailbox, (key) -> new LongAdder()).increment();
	}

	void rateLimitReached(String mailbox) {
		this.rateLimitRefusals.computeIfAbsent(mailbox, (key) -> new LongAdder()).increment();
	}

	void messageAccepted(String mailbox, Instant at) {
		this.messagesAccepted.increment();
		this.acceptedByMailbox.computeIfAbsent(mailbox, (key) -> new AcceptedMessages()).add(at);
	}

	void messageRefused() {
		this.messagesRefused.increment();
	}

	void authorizeRequest() {
		this.authorizeRequests.increment();
	}

	void tokenRequest(String grantType) {
		this.tokenRequests.increment();
		GrantType.of(grantType).ifPresent((type) -> this.tokenRequestsByGrant.get(type).increment());
	}

	private static long sum(Map<String, LongAdder> counters) {
		return counters.values().stream().mapToLong(LongAdder::sum).sum();
	}

	private static long count(Map<String, LongAdder> counters, String mailbox) {
		LongAdder counter = counters.get(Directory.normalize(mailbox));
		return (counter != null) ? counter.sum() : 0;
	}

	/** One mailbox's accepted messages: the total, those of the last minute, and the most in any minute. */
	private static final class AcceptedMessages {

		private final Deque<Instant> lastMinute = new ArrayDeque<>();

		private long total;

		private int peak;

		synchronized void add(Instant at) {
			this.total++;
			this.lastMinute.addLast(at);
			Instant windowStart = at.minus(MINUTE);
			while (!this.lastMinute.peekFirst().isAfter(windowStart)) {
				this.lastMinute.removeFirst();
			}
			this.peak = Math.max(this.peak, this.lastMinute.size());
		}

		synchronized long total() {
			return this.total;
		}

		synchronized int peak() {
			return this.peak;
		}

	}

}
