package io.mailroom.worker.delivery;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
import io.mailroom.core.secrets.SecretBox;
import io.mailroom.core.secrets.SecretUnavailable;
import io.mailroom.core.services.BasicAuthentication;
import io.mailroom.core.services.MicrosoftGuidance;
import io.mailroom.core.services.ServiceStatus;
import io.mailroom.core.services.ServiceStatusChanges;
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

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Sends mail through services' SMTP servers on pooled connections. Callers (the scheduler's lanes) may
 * call it from many virtual threads at once; sends of one service share its pool, services share nothing
 * that a send waits for.
 */
@Component
public class SmtpDelivery implements DisposableBean {

	private static final Logger LOG = LoggerFactory.getLogger(SmtpDelivery.class);

	private final AccessTokens tokens;

	private final SecretBox secrets;

	private final ServiceStatusChanges statusChanges;

	private final DeliveryProperties properties;

	private final Clock clock;

	private final SmtpSessions sessions;

	/** Write timeouts of every connection, and the idle sweep: short tasks only. */
	private final ScheduledThreadPoolExecutor timers;

	private final Map<UUID, ServiceConnections> pools = new ConcurrentHashMap<>();

	private final AtomicInteger sessionsActive = new AtomicInteger();

	private final Counter openedOk;

	private final Counter openedFailed;

	public SmtpDelivery(AccessTokens tokens, SecretBox secrets, ServiceStatusChanges statusChanges,
			DeliveryProperties properties, ObjectProvider<SslBundles> sslBundles, ObjectProvider<Clock> clock,
			ObjectProvider<MeterRegistry> meterRegistry) {
		this.tokens = tokens;
		this.secrets = secrets;
		this.statusChanges = statusChanges;
		this.properties = properties;
		this.clock = clock.getIfAvailable(Clock::systemUTC);
		this.timers = new ScheduledThreadPoolExecutor(1,
				Thread.ofPlatform().daemon().name("smtp-delivery-timers").factory());
		this.timers.setRemoveOnCancelPolicy(true);
		this.sessions = new SmtpSessions(properties, trust(properties, sslBundles), timers);
		MeterRegistry registry = meterRegistry.getIfAvailable(SimpleMeterRegistry::new);
		this.openedOk = openedCounter(registry, "success");
		this.openedFailed = openedCounter(registry, "failure");
		Gauge.builder("mailroom.smtp.sessions.active", sessionsActive, AtomicInteger::get)
			.description("Open SMTP sessions, in use or idle in the pools")
			.register(registry);
		long sweep = Math.clamp(properties.idleTimeout().toMillis() / 2, 500, 30_000);
		timers.scheduleWithFixedDelay(this::closeIdleConnections, sweep, sweep, TimeUnit.MILLISECONDS);
	}

	/**
	 * Sends one mail through the service, on a pooled connection if one is good, else on a new one.
	 * Never throws for what the server, the network or the identity platform does: every failure comes back
	 * as {@link DeliveryOutcome.Failed} with its classification.
	 */
	public DeliveryOutcome send(SmtpService service, OutgoingMail mail) {
		String messageId = MailComposer.messageId(mail.requestId(), service.fromAddress());
		MailComposer.Composed composed;
		try {
			composed = MailComposer.compose(session(service), service, mail, messageId, clock.instant());
		}
		catch (MailComposer.Unsendable ex) {
			LOG.warn("Request {} of service {} cannot be sent: {}", mail.requestId(), service.id(),
					ex.failure().error().code());
			return new DeliveryOutcome.Failed(ex.failure(), messageId);
		}
		try {
			return deliver(service, mail, composed, messageId);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new DeliveryOutcome.Failed(Failures.network("send mail", ex), messageId);
		}
	}

	/** Closes the service's connections: idle ones now, busy ones when their send ends. */
	public void closeConnections(UUID serviceId) {
		ServiceConnections pool = pools.remove(serviceId);
		if (pool != null) {
			pool.close().forEach(this::closeLater);
			LOG.debug("Closing the SMTP connections of service {}", serviceId);
		}
	}

	private DeliveryOutcome deliver(SmtpService service, OutgoingMail mail, MailComposer.Composed composed,
			String messageId) throws InterruptedException {
		AccessToken token = null;
		if (service.usesMicrosoftOAuth2()) {
			try {
				token = tokens.get(service);
			}
			catch (TokenUnavailable ex) {
				return new DeliveryOutcome.Failed(ex.failure(), messageId);
			}
		}
		ServiceConnections pool = pools.computeIfAbsent(service.id(), ServiceConnections::new);
		boolean replaced = false;
		while (true) {
			ServiceConnections.Lease lease = pool.borrow(maxConnections(service), properties.connectTimeout());
			if (lease == null) {
				return new DeliveryOutcome.Failed(allConnectionsBusy(maxConnections(service)), messageId);
			}
			SmtpConnection connection = lease.connection();
			if (connection != null && !fitForUse(connection, service, token, replaced)) {
				closeLater(connection);
				connection = null; // its place in the pool is ours to open a new one
			}
			if (connection == null) {
				Opened opened = open(service, token);
				if (opened.failure() != null) {
					pool.free();
					return new DeliveryOutcome.Failed(opened.failure(), messageId);
				}
				connection = opened.connection();
				token = opened.token();
			}
			try {
				connection.transport.sendMessage(composed.message(), composed.recipients());
				SmtpReply reply = SmtpReplies.parse(connection.transport.getLastServerResponse());
				connection.used(ServiceConnections.now());
				giveBack(pool, connection);
				return new DeliveryOutcome.Sent(messageId, reply);
			}
			catch (MessagingException | IllegalStateException ex) {
				Failure failure = SmtpFailures.classify(ex, "send mail through " + hostAndPort(service));
				boolean broken = SmtpFailures.breaksConnection(ex);
				// A reused session that broke before DATA never handed the mail over: a fresh one may send it
				// now without risk of a duplicate. After DATA, or on a fresh session, the scheduler decides.
				boolean replace = broken && !replaced && connection.reused() && !connection.transport.dataStarted()
						&& failure.error().category() == ErrorCategory.NETWORK;
				connection.used(ServiceConnections.now());
				if (broken) {
					pool.free();
					closeLater(connection);
				}
				else {
					giveBack(pool, connection);
				}
				if (replace) {
					LOG.debug("Pooled SMTP connection of service {} broke before request {} was sent: reconnecting",
							service.id(), mail.requestId());
					replaced = true;
					continue;
				}
				LOG.info("Request {} of service {} not sent: {} {}", mail.requestId(), service.id(),
						failure.error().category(), failure.error().code());
				return new DeliveryOutcome.Failed(failure, messageId);
			}
		}
	}

	/**
	 * Whether a pooled connection may carry the next mail: same service settings, same token, not idle
	 * too long, and (after a pause, or when another one just broke) still answering NOOP.
	 */
	private boolean fitForUse(SmtpConnection connection, SmtpService service, AccessToken token, boolean probe) {
		if (connection.serviceVersion != service.version()
				|| token != null && !token.value().equals(connection.token)) {
			return false;
		}
		long idle = connection.idleNanos(ServiceConnections.now());
		if (idle > properties.idleTimeout().toNanos()) {
			return false;
		}
		if (probe || idle > properties.probeAfter().toNanos()) {
			return connection.transport.isConnected(); // NOOP; closes the transport when it fails
		}
		return true;
	}

	/**
	 * Connects, starts TLS and authenticates. A token refused with {@code 535 5.7.3} is refreshed once
	 * (unless another send already did) and the connect tried once more; refused again, the service's
	 * authorization is at fault and the service is marked.
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
				return new Opened(new SmtpConnection(transport, service.version(),
						current != null ? current.value() : null, ServiceConnections.now()), current, null);
			}
			catch (SecretUnavailable ex) {
				LOG.error("The SMTP password of service {} cannot be opened: {}", service.id(), ex.getMessage());
				return new Opened(null, current, Failures.secretUnavailable("SMTP password"));
			}
			catch (MessagingException | IllegalStateException ex) {
				openedFailed.increment();
				closeQuietly(transport);
				Failure failure = SmtpFailures.classify(ex, "connect to " + hostAndPort(service));
				if (failure.impact() != ServiceImpact.REFRESH_TOKEN_ONCE) {
					LOG.info("Could not connect for service {}: {} {}", service.id(), failure.error().category(),
							failure.error().code());
					return new Opened(null, current, failure);
				}
				if (current != null && attempt == 0) {
					try {
						current = tokens.refreshAfterRejection(service, current);
						continue;
					}
					catch (TokenUnavailable unavailable) {
						return new Opened(null, current, unavailable.failure());
					}
				}
				return new Opened(null, current, refusedAgain(service, current, failure));
			}
		}
	}

	/**
	 * The server refused a token that was just refreshed (or a basic login): no refresh will help. The
	 * token carries the cache version it came from, so a re-authorization since then is not undone.
	 */
	private Failure refusedAgain(SmtpService service, AccessToken token, Failure failure) {
		if (token == null) {
			return failure.withImpact(ServiceImpact.CONFIGURATION_ERROR);
		}
		if (service.microsoft().appOnly()) {
			// nobody can re-authorize an app: its mailbox access in Exchange is missing
			Failure missing = MicrosoftGuidance.appMailboxAccessMissing(failure, service.microsoft(), service.fromAddress());
			statusChanges.needsAttention(service, ServiceStatus.CONFIGURATION_ERROR, missing.error(), null, clock.instant());
			return missing;
		}
		Failure refused = failure.withImpact(ServiceImpact.NEEDS_REAUTHORIZATION);
		boolean marked = statusChanges.needsAttention(service, ServiceStatus.NEEDS_REAUTHORIZATION, refused.error(),
				token.cacheVersion(), clock.instant());
		LOG.warn("SMTP server refused a fresh token of service {}{}", service.id(),
				marked ? ": service marked NEEDS_REAUTHORIZATION" : "");
		return refused;
	}

	private String password(SmtpService service) {
		return secrets.open(((BasicAuthentication) service.authentication()).password());
	}

	private Session session(SmtpService service) {
		return service.usesMicrosoftOAuth2() ? sessions.oauth2() : sessions.basic();
	}

	private int maxConnections(SmtpService service) {
		return service.maxConnections() != null && service.maxConnections() > 0 ? service.maxConnections()
				: properties.defaultMaxConnections();
	}

	private void giveBack(ServiceConnections pool, SmtpConnection connection) {
		if (!pool.giveBack(connection)) {
			closeLater(connection);
		}
	}

	/** Closes idle connections past the idle timeout, before servers drop them on their own. */
	void closeIdleConnections() {
		try {
			long now = ServiceConnections.now();
			pools.values().forEach(pool -> pool.takeIdleLongerThan(properties.idleTimeout(), now).forEach(this::closeLater));
		}
		catch (RuntimeException ex) {
			LOG.warn("Closing idle SMTP connections failed", ex);
		}
	}

	/** Closes a connection in the background: QUIT may wait on a slow server, and no send should. */
	private void closeLater(SmtpConnection connection) {
		sessionsActive.decrementAndGet();
		Thread.ofVirtual().name("smtp-close").start(() -> closeQuietly(connection.transport));
	}

	private static void closeQuietly(MailroomTransport transport) {
		try {
			transport.close();
		}
		catch (MessagingException | RuntimeException ex) {
			// the session is being dropped either way
		}
	}

	/** Number of open connections of a service, idle or in use. */
	int openConnections(UUID serviceId) {
		ServiceConnections pool = pools.get(serviceId);
		return pool == null ? 0 : pool.open();
	}

	@Override
	public void destroy() {
		pools.keySet().forEach(this::closeConnections);
		timers.shutdownNow();
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

	/** The scheduler's lanes keep sends within the limit, so this means connections are stuck. */
	private static Failure allConnectionsBusy(int max) {
		return new Failure(new ErrorDetails(ErrorCategory.THROTTLED, "CONNECTIONS_BUSY",
				"All " + max + " SMTP connections of the service stayed busy.",
				"Nothing to do: Mailroom retries automatically.", null, true), null, ServiceImpact.NONE,
				Duration.ofSeconds(5));
	}


	/** A new connection, or why there is none; {@code token} is the one it authenticated with. */
	private record Opened(SmtpConnection connection, AccessToken token, Failure failure) {
	}

}
