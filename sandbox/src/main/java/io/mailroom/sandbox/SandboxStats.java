package io.mailroom.sandbox;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters for tests to assert on: how many SMTP sessions, authentications and messages, how many token
 * requests of each grant type. Counts since start or the last {@link #reset()}.
 */
public final class SandboxStats {

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

	void messageAccepted() {
		this.messagesAccepted.increment();
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

}
