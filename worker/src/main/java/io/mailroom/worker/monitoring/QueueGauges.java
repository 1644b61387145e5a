package io.mailroom.worker.monitoring;

import java.time.Clock;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.mailroom.contracts.Priority;
import io.mailroom.core.database.DatabaseErrors;
import io.mailroom.core.services.ServiceStatus;
import io.mailroom.worker.queue.DeliveryQueue;
import io.mailroom.worker.queue.QueueStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads the queue's shape every 10 seconds and serves it as gauges, so a Prometheus scrape never waits
 * for (or loads) the database.
 */
@Component
class QueueGauges implements SmartLifecycle, DisposableBean {

	private static final Logger LOG = LoggerFactory.getLogger(QueueGauges.class);

	private final DeliveryQueue queue;

	private final JdbcClient jdbc;

	private final Clock clock;

	private final ScheduledExecutorService timer = Executors
		.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("mailroom-queue-gauges").daemon(true).factory());

	private volatile QueueStats stats;

	private final Map<ServiceStatus, Long> servicesByStatus = new java.util.concurrent.ConcurrentHashMap<>();

	private volatile boolean running;

	private java.util.concurrent.ScheduledFuture<?> refreshing;

	private volatile long secretsExpiringSoon;

	private volatile long secretsExpired;

	QueueGauges(DeliveryQueue queue, JdbcClient jdbc, MeterRegistry meters, Clock clock) {
		this.queue = queue;
		this.jdbc = jdbc;
		this.clock = clock;
		for (Priority priority : Priority.values()) {
			String tag = priority.name().toLowerCase(Locale.ROOT);
			Gauge.builder("mailroom.queue.depth", this, g -> g.depth(priority).count())
				.tag("priority", tag)
				.description("Mail waiting to be sent (queued or being sent)")
				.register(meters);
			Gauge.builder("mailroom.queue.oldest.age", this, g -> g.depth(priority).oldestAge().toMillis() / 1000.0)
				.tag("priority", tag)
				.baseUnit("seconds")
				.description("Age of the oldest mail waiting to be sent")
				.register(meters);
		}
		Gauge.builder("mailroom.held", this, g -> g.stats == null ? 0 : g.stats.held().count())
			.description("Mail held until its service is authorized again")
			.register(meters);
		Gauge.builder("mailroom.held.oldest.age", this,
				g -> g.stats == null ? 0 : g.stats.held().oldestAge().toMillis() / 1000.0)
			.baseUnit("seconds")
			.description("Age of the oldest held mail")
			.register(meters);
		Gauge.builder("mailroom.client.secrets.expiring", this, g -> g.secretsExpiringSoon)
			.description("Microsoft OAuth2 services whose client secret (when the admin gave the date) or certificate expires within 30 days")
			.register(meters);
		Gauge.builder("mailroom.client.secrets.expired", this, g -> g.secretsExpired)
			.description("Microsoft OAuth2 services whose client secret (when the admin gave the date) or certificate has expired")
			.register(meters);
		for (ServiceStatus status : ServiceStatus.values()) {
			servicesByStatus.put(status, 0L);
			Gauge.builder("mailroom.services", servicesByStatus, m -> m.getOrDefault(status, 0L))
				.tag("status", status.name().toLowerCase(Locale.ROOT))
				.description("SMTP services by status")
				.register(meters);
		}
	}

	private QueueStats.Depth depth(Priority priority) {
		QueueStats current = stats;
		return current == null ? new QueueStats.Depth(0, java.time.Duration.ZERO) : current.queued().get(priority);
	}

	private void refresh() {
		try {
			stats = queue.stats(clock.instant());
			Map<ServiceStatus, Long> counts = new EnumMap<>(ServiceStatus.class);
			jdbc.sql("select status, count(*) from smtp_service where deleted_at is null group by status")
				.query((rs, n) -> counts.put(ServiceStatus.valueOf(rs.getString(1)), rs.getLong(2)))
				.list();
			for (ServiceStatus status : ServiceStatus.values()) {
				servicesByStatus.put(status, counts.getOrDefault(status, 0L));
			}
			secretsExpiringSoon = jdbc.sql("""
					select count(*) from smtp_service where deleted_at is null
					  and coalesce(cast(client_certificate_expires_at as date), client_secret_expires_on)
					      between current_date and current_date + 30""")
				.query(Long.class)
				.single();
			secretsExpired = jdbc.sql("""
					select count(*) from smtp_service where deleted_at is null
					  and coalesce(cast(client_certificate_expires_at as date), client_secret_expires_on) < current_date""")
				.query(Long.class)
				.single();
		}
		catch (RuntimeException ex) {
			LOG.debug("Could not read queue statistics: {}", DatabaseErrors.summary(ex));
		}
	}

	@Override
	public void start() {
		running = true;
		refreshing = timer.scheduleWithFixedDelay(this::refresh, 0, 10, TimeUnit.SECONDS);
	}

	@Override
	public void stop() {
		running = false;
		refreshing.cancel(false);
	}

	@Override
	public void destroy() {
		timer.shutdownNow();
	}

	@Override
	public boolean isRunning() {
		return running;
	}

}
