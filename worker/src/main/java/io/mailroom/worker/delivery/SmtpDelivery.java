package io.mailroom.worker.delivery;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLSocketFactory;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import io.mailroom.contracts.ErrorCategory;
import io.mailroom.contracts.ErrorDetails;
import io.mailroom.contracts.SmtpReply;
import io.mailroom.core.failures.Failure;
import io.mailroom.core.failures.Failures;
import io.mailroom.core.failures.ServiceImpact;
import io.mailroom.core.failures.SmtpReplies;
import io.mailroom.core.outbound.SmtpDestinations;
import io.mailroom.core.secrets.SecretBox;
import io.mailroom.core.secrets.SecretUnavailable;
import io.mailroom.core.services.BasicAuthentication;
import io.mailroom.core.services.GoogleGuidance;
import io.mailroom.core.services.MicrosoftGuidance;
import io.mailroom.core.services.SmtpService;
import io.mailroom.worker.tokens.AccessToken;
import io.mailroom.worker.tokens.AccessTokens;
import io.mailroom.worker.tokens.TokenUnavailable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Sends mail through services' SMTP servers on pooled connections. Callers (the scheduler's mailbox
 * runtimes) may call it from many virtual threads at once; sends of one mailbox share its pool
 * ({@link MailboxConnections}, owned by the caller), mailboxes share nothing that a send waits for.
 * Delivery never decides what a failure means for the service: it classifies it and says at which
 * stage (token or SMTP) it happened and with which authorization, and the caller decides.
 */
@Component
public class SmtpDelivery implements Delivery {

	private static final Logger LOG = LoggerFactory.getLogger(SmtpDelivery.class);

	private final AccessTokens tokens;

	private final SecretBox secrets;

	private final DeliveryProperties properties;

	private final Clock clock;

	private final SmtpSessions sessions;

	private final AtomicInteger sessionsActive = new AtomicInteger();

	private final Counter openedOk;

	private final Counter openedFailed;

	public SmtpDelivery(AccessTokens tokens, SecretBox secrets, DeliveryProperties properties,
			SmtpDestinations destinations, ObjectProvider<SslBundles> sslBundles, ObjectProvider<Clock> clock,
			ObjectProvider<MeterRegistry> meterRegistry) {
		this.tokens = tokens;
		this.secrets = secrets;
		this.properties = properties;
		this.clock = clock.getIfAvailable(Clock::systemUTC);
		this.sessions = new SmtpSessions(properties, trust(properties, sslBundles), WRITE_TIMEOUTS,
				destinations.socketFactory());
		MeterRegistry registry = meterRegistry.getIfAvailable(SimpleMeterRegistry::new);
		this.openedOk = openedCounter(registry, "success");
		this.openedFailed = openedCounter(registry, "failure");
		Gauge.builder("mailroom.smtp.sessions.active", sessionsActive, AtomicInteger::get)
			.description("Open SMTP sessions, in use or idle in the pools")
			.register(registry);
	}

	@Override
	public MailboxConnections pool(String mailbox) {
		return new MailboxConnections(mailbox, this::close);
	}

	/** Closes the pool's connections that idled past {@code mailroom.delivery.idle-timeout}. */
	@Override
	public void closeIdle(MailboxConnections pool) {
		pool.closeIdleLongerThan(properties.idleTimeout());
	}

	/** Sends on a pooled connection of the mailbox if one is good, else on a new one. */
	@Override
	public DeliveryOutcome send(SmtpService service, OutgoingMail mail, MailboxConnections pool, int maxSessions,
			Fence fence) {
		String messageId = MailComposer.messageId(mail.requestId(), service.fromAddress());
		MailComposer.Composed composed;
		try {
			composed = MailComposer.compose(session(service), service, mail, messageId, clock.instant());
		}
		catch (MailComposer.Unsendable ex) {
			LOG.warn("Request {} of service {} cannot be sent: {}", mail.requestId(), service.id(),
					ex.failure().error().code());
			return DeliveryOutcome.Failed.of(ex.failure(), messageId, DeliveryOutcome.Stage.COMPOSE, null);
		}
		return deliver(service, mail, composed, messageId, pool, maxSessions, fence);
	}

	private DeliveryOutcome deliver(SmtpService service, OutgoingMail mail, MailComposer.Composed composed,
			String messageId, MailboxConnections pool, int maxSessions, Fence fence) {
		AccessToken token = null;
		if (service.usesOAuth2()) {
			try {
				token = tokens.get(service);
			}
			catch (TokenUnavailable ex) {
				return DeliveryOutcome.Failed.of(ex.failure(), messageId, DeliveryOutcome.Stage.IDENTITY,
						ex.authorizationVersion());
			}
		}
		MailboxConnections.Lease lease = pool.borrow(maxSessions);
		if (lease == null) {
			return DeliveryOutcome.Failed.of(allConnectionsBusy(maxSessions), messageId, DeliveryOutcome.Stage.TRANSPORT,
					null);
		}
		SmtpConnection connection = lease.connection();
		boolean reconnected = false;
		while (true) {
			if (connection != null && !fitForUse(connection, service, token)) {
				pool.replace(connection);
				connection = null; // its place in the pool is ours to open a new one
			}
			if (connection == null) {
				if (!fence.mayStart()) {
					pool.free();
					return new DeliveryOutcome.Fenced(messageId);
				}
				Opened opened = open(service, token);
				if (opened.failure() != null) {
					pool.free();
					return opened.failure().withMessageId(messageId);
				}
				connection = opened.connection();
				token = opened.token();
			}
			connection.transport.fence(fence);
			try {
				connection.transport.sendMessage(composed.message(), composed.recipients());
				SmtpReply reply = SmtpReplies.parse(connection.transport.getLastServerResponse());
				connection.used(MailboxConnections.now());
				pool.giveBack(connection);
				return new DeliveryOutcome.Sent(messageId, reply);
			}
			catch (MessagingException | IllegalStateException ex) {
				connection.used(MailboxConnections.now());
				if (ex instanceof MailroomTransport.Fenced) {
					// stopped before the server could take the mail; mid-DATA the session must go
					if (connection.transport.dataStarted()) {
						pool.discard(connection);
					}
					else {
						pool.giveBack(connection);
					}
					return new DeliveryOutcome.Fenced(messageId);
				}
				Failure failure = SmtpFailures.classify(ex, "send mail through " + hostAndPort(service));
				boolean broken = SmtpFailures.breaksConnection(ex);
				// A reused session that broke before DATA never handed the mail over: a fresh one may send it
				// now without risk of a duplicate. After DATA, or on a fresh session, the scheduler decides.
				if (broken && !reconnected && connection.reused() && !connection.transport.dataStarted()
						&& failure.error().category() == ErrorCategory.NETWORK) {
					LOG.debug("Pooled SMTP connection of mailbox {} broke before request {} was sent: reconnecting",
							pool.mailbox(), mail.requestId());
					pool.replace(connection);
					connection = null;
					reconnected = true;
					continue;
				}
				// the final dot went out and no reply came back: the server may have the mail
				boolean unconfirmed = broken && connection.transport.dataEnded() && failure.smtpReply() == null;
				if (broken) {
					pool.discard(connection);
				}
				else {
					pool.giveBack(connection);
				}
				Long version = token == null ? null : token.cacheVersion();
				if (unconfirmed) {
					LOG.warn("Request {} of service {}: the connection failed after the whole mail was handed over; "
							+ "the server may have accepted it", mail.requestId(), service.id());
					return new DeliveryOutcome.Failed(SmtpFailures.unconfirmed(failure, hostAndPort(service)),
							messageId, DeliveryOutcome.Stage.TRANSPORT, version, true);
				}
				LOG.info("Request {} of service {} not sent: {} {}", mail.requestId(), service.id(),
						failure.error().category(), failure.error().code());
				return new DeliveryOutcome.Failed(failure, messageId, DeliveryOutcome.Stage.TRANSPORT, version, false);
			}
		}
	}

	/**
	 * Whether a pooled connection may carry the next mail: same service and settings, same token, not idle
	 * too long, and (after a pause) still answering NOOP.
	 */
	private boolean fitForUse(SmtpConnection connection, SmtpService service, AccessToken token) {
		if (!connection.serviceId.equals(service.id()) || connection.serviceVersion != service.version()
				|| token != null && !token.value().equals(connection.token)) {
			return false;
		}
		long idle = connection.idleNanos(MailboxConnections.now());
		if (idle > properties.idleTimeout().toNanos()) {
			return false;
		}
		if (idle > properties.probeAfter().toNanos()) {
			return connection.transport.isConnected(); // NOOP; closes the transport when it fails
		}
		return true;
	}

	/**
	 * Connects, starts TLS and authenticates. A token refused with {@code 535 5.7.3} is refreshed once
	 * (unless another send already did) and the connect tried once more; refused again, the service's
	 * authorization is at fault: the failure says so, with the authorization (token cache version) that
	 * failed, so that a re-authorization since then is not undone.
	 */
	private Opened open(SmtpService service, AccessToken token) {
		AccessToken current = token;
		for (int attempt = 0;; attempt++) {
			MailroomTransport transport = new MailroomTransport(session(service));
			try {
				transport.connect(service.host(), service.port(), service.authentication().login(),
						current != null ? current.value() : password(service));
				sessionsActive.incrementAndGet();
				openedOk.increment();
				LOG.debug("Opened an SMTP connection for service {}", service.id());
				return new Opened(new SmtpConnection(transport, service.id(), service.version(),
						current != null ? current.value() : null, MailboxConnections.now()), current, null);
			}
			catch (SecretUnavailable ex) {
				LOG.error("The SMTP password of service {} cannot be opened: {}", service.id(), ex.getMessage());
				return new Opened(null, current, DeliveryOutcome.Failed.of(Failures.secretUnavailable("SMTP password"),
						null, DeliveryOutcome.Stage.TRANSPORT, null));
			}
			catch (MessagingException | IllegalStateException ex) {
				openedFailed.increment();
				closeQuietly(transport);
				Failure failure = SmtpFailures.classify(ex, "connect to " + hostAndPort(service));
				Long version = current == null ? null : current.cacheVersion();
				if (failure.impact() != ServiceImpact.REFRESH_TOKEN_ONCE) {
					LOG.info("Could not connect for service {}: {} {}", service.id(), failure.error().category(),
							failure.error().code());
					return new Opened(null, current,
							DeliveryOutcome.Failed.of(failure, null, DeliveryOutcome.Stage.TRANSPORT, version));
				}
				if (current != null && attempt == 0) {
					try {
						current = tokens.refreshAfterRejection(service, current);
						continue;
					}
					catch (TokenUnavailable unavailable) {
						return new Opened(null, current, DeliveryOutcome.Failed.of(unavailable.failure(), null,
								DeliveryOutcome.Stage.IDENTITY, unavailable.authorizationVersion()));
					}
				}
				// refused again: a basic login is misconfigured; a fresh token was refused by the mailbox; an app
				// cannot be re-authorized by anyone: its mailbox access (Exchange) or delegation (Workspace) is missing
				Failure refused = current == null ? failure.withImpact(ServiceImpact.CONFIGURATION_ERROR)
						: !service.appOnly() ? failure.withImpact(ServiceImpact.NEEDS_REAUTHORIZATION)
						: service.usesGoogleOAuth2() ? GoogleGuidance.serviceAccountRefused(failure, service.google())
						: MicrosoftGuidance.appMailboxAccessMissing(failure, service.microsoft(), service.fromAddress());
				LOG.warn("SMTP server refused {} of service {}", current == null ? "the login" : "a fresh token",
						service.id());
				return new Opened(null, current,
						DeliveryOutcome.Failed.of(refused, null, DeliveryOutcome.Stage.TRANSPORT, version));
			}
		}
	}

	private String password(SmtpService service) {
		return secrets.open(((BasicAuthentication) service.authentication()).password());
	}

	private Session session(SmtpService service) {
		return service.usesOAuth2() ? sessions.oauth2() : sessions.basic();
	}

	/** Closes a connection (QUIT without waiting for the reply, then the socket). */
	private void close(SmtpConnection connection) {
		try {
			closeQuietly(connection.transport);
		}
		finally {
			sessionsActive.decrementAndGet();
		}
	}

	private static void closeQuietly(MailroomTransport transport) {
		try {
			transport.close();
		}
		catch (MessagingException | RuntimeException ex) {
			// the session is being dropped either way
		}
	}

	private static String hostAndPort(SmtpService service) {
		return service.host() + ":" + service.port();
	}

	private static SSLSocketFactory trust(DeliveryProperties properties, ObjectProvider<SslBundles> sslBundles) {
		if (!StringUtils.hasText(properties.sslBundle())) {
			return null;
		}
		SslBundles bundles = sslBundles.getIfAvailable();
		if (bundles == null) {
			throw new IllegalStateException("mailroom.delivery.ssl-bundle is set but no SSL bundles are configured");
		}
		return bundles.getBundle(properties.sslBundle()).createSslContext().getSocketFactory();
	}

	private static Counter openedCounter(MeterRegistry registry, String outcome) {
		return Counter.builder("mailroom.smtp.connections.opened")
			.description("SMTP connections opened (connect, STARTTLS and AUTH), by outcome")
			.tag("outcome", outcome)
			.register(registry);
	}

	/** The scheduler keeps sends within the mailbox's sessions, so this means a session is still closing. */
	private static Failure allConnectionsBusy(int max) {
		return new Failure(new ErrorDetails(ErrorCategory.THROTTLED, "CONNECTIONS_BUSY",
				"All " + max + " SMTP connections of the mailbox were busy.",
				"Nothing to do: Mailroom retries automatically.", null, true), null, ServiceImpact.NONE,
				Duration.ofSeconds(1));
	}

	/**
	 * Write timeouts of every connection: without an executor Angus Mail starts a thread per connection.
	 * Shared by every instance (tests start several workers in one JVM); its tasks are tiny.
	 */
	private static final ScheduledThreadPoolExecutor WRITE_TIMEOUTS = writeTimeouts();

	private static ScheduledThreadPoolExecutor writeTimeouts() {
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
				Thread.ofPlatform().daemon().name("smtp-write-timeouts").factory());
		executor.setRemoveOnCancelPolicy(true);
		return executor;
	}

	/** A new connection, or why there is none; {@code token} is the one it authenticated with. */
	private record Opened(SmtpConnection connection, AccessToken token, DeliveryOutcome.Failed failure) {
	}

}
