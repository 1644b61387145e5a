package io.mailroom.worker;

import java.time.Clock;

import io.mailroom.worker.queue.Deadlines;
import io.mailroom.worker.scheduling.SchedulingProperties;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/** Wiring that belongs to no single feature. */
@Configuration(proxyBeanMethods = false)
class WorkerConfiguration {

	@Bean
	@ConditionalOnMissingBean
	Clock clock() {
		return Clock.systemUTC();
	}

	/** Every queued mail's deadline, from the scheduling settings. */
	@Bean
	Deadlines deadlines(SchedulingProperties settings) {
		return new Deadlines(settings.defaultExpiry().transactional(), settings.defaultExpiry().bulk(),
				settings.retry().maxAge());
	}

	/**
	 * Intake throws only when the database or the broker is unavailable: bad records are answered one by
	 * one (REJECTED or dead-lettered) and a batch PostgreSQL refuses is narrowed down to the records at
	 * fault inside the listener (ADR 0008). So a failing batch is retried whole, backing off up to 30 s, for
	 * as long as it takes; storing is idempotent by requestId. Skipping records would lose requests.
	 */
	@Bean
	CommonErrorHandler intakeErrorHandler() {
		ExponentialBackOff backOff = new ExponentialBackOff(500, 2.0);
		backOff.setMaxInterval(30_000);
		return new DefaultErrorHandler(backOff);
	}

}
