package io.mailroom.core.events;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.mailroom.contracts.MailroomJson;
import io.mailroom.contracts.ServiceEvent;
import io.mailroom.contracts.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes {@link ServiceEvent}s. The database stays the source of truth for a service's state: an
 * event tells other parts (workers releasing held mail, product features) sooner, and a lost event only
 * delays what the worker's periodic reconciliation does anyway.
 */
@Component
public class ServiceEvents {

	private static final Logger LOG = LoggerFactory.getLogger(ServiceEvents.class);

	private final KafkaTemplate<String, byte[]> kafka;

	public ServiceEvents(KafkaTemplate<String, byte[]> kafka) {
		this.kafka = kafka;
	}

	/** Publishes and waits for the broker's acknowledgement; logs and gives up after 10 s. */
	public void publish(ServiceEvent event) {
		try {
			kafka.send(Topics.SERVICE_EVENTS, event.serviceId().toString(), MailroomJson.mapper().writeValueAsBytes(event))
				.get(10, TimeUnit.SECONDS);
			LOG.info("Service {} is now {}", event.serviceId(), event.type());
		}
		catch (ExecutionException | TimeoutException ex) {
			LOG.warn("Could not publish {} event of service {}: {}", event.type(), event.serviceId(), ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
