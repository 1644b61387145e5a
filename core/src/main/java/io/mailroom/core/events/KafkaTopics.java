package io.mailroom.core.events;

import io.mailroom.contracts.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/** Declares the contract's topics so a fresh cluster gets them on first start. */
@Configuration(proxyBeanMethods = false)
class KafkaTopics {

	/**
	 * The largest record on Mailroom's topics: a request carrying a 35 MB message (Exchange Online's
	 * default limit) as base64 JSON, with room to spare. Brokers need {@code message.max.bytes} at least this.
	 */
	static final int MAX_RECORD_BYTES = 64 * 1024 * 1024;

	@Bean
	KafkaAdmin.NewTopics mailroomTopics(KafkaTopicsProperties properties) {
		return new KafkaAdmin.NewTopics(topic(Topics.SEND_REQUESTS, properties),
				topic(Topics.SEND_REQUESTS_DLT, properties), topic(Topics.SEND_RESULTS, properties),
				topic(Topics.SERVICE_EVENTS, properties));
	}

	private static NewTopic topic(String name, KafkaTopicsProperties properties) {
		return TopicBuilder.name(name)
			.partitions(properties.partitions())
			.replicas(properties.replicationFactor())
			.config(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(MAX_RECORD_BYTES))
			.build();
	}

}
