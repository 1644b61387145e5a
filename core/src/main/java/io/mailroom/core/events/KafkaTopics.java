package io.mailroom.core.events;

import io.mailroom.contracts.Topics;
import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/** Declares the contract's topics so a fresh cluster gets them on first start. */
@Configuration(proxyBeanMethods = false)
class KafkaTopics {

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
			.build();
	}

}
