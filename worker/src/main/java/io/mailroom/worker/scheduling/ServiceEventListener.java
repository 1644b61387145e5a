package io.mailroom.worker.scheduling;

import io.mailroom.contracts.MailroomJson;
import io.mailroom.contracts.ServiceEvent;
import io.mailroom.contracts.Topics;
import io.mailroom.worker.tokens.AccessTokens;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Reacts to service events from any instance: a re-authorized service gets its held mail released at
 * once, a changed or deleted one loses its cached token and connections, one that needs an admin its
 * connections. Every worker must hear every
 * event, so each listens in a consumer group of its own, from the latest offset (what happened before it
 * started is in the database already).
 */
@Component
class ServiceEventListener {

	private static final Logger LOG = LoggerFactory.getLogger(ServiceEventListener.class);

	private final Dispatcher dispatcher;

	private final AccessTokens tokens;

	ServiceEventListener(Dispatcher dispatcher, AccessTokens tokens) {
		this.dispatcher = dispatcher;
		this.tokens = tokens;
	}

	@KafkaListener(id = "mailroom-service-events", topics = Topics.SERVICE_EVENTS,
			groupId = "#{'mailroom-worker-events-' + @workerIdentity.id().replace(':', '-')}",
			properties = "auto.offset.reset=latest")
	void on(ConsumerRecord<String, byte[]> record) {
		ServiceEvent event;
		try {
			event = MailroomJson.mapper().readValue(record.value(), ServiceEvent.class);
		}
		catch (JacksonException | IllegalArgumentException ex) {
			LOG.warn("Ignoring an unreadable service event at {}-{}@{}", record.topic(), record.partition(),
					record.offset());
			return;
		}
		if (event.type() == null || event.serviceId() == null) {
			return; // a newer event type this worker does not know
		}
		switch (event.type()) {
			case AUTHORIZED, DELETED -> {
				tokens.evict(event.serviceId());
				dispatcher.serviceChanged(event.serviceId());
			}
			case NEEDS_REAUTHORIZATION, CONFIGURATION_ERROR -> dispatcher.serviceChanged(event.serviceId());
		}
	}

}
