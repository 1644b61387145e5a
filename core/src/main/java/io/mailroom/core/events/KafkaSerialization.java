package io.mailroom.core.events;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Keys are strings (serviceId or requestId) and values raw bytes: code maps contract JSON explicitly
 * with {@link io.mailroom.contracts.MailroomJson}, so no Java type headers reach the wire and a record
 * that is not valid JSON reaches the worker's intake as bytes it can dead-letter, instead of failing
 * inside a deserializer. Producers wait for all in-sync replicas and are idempotent: a result or event
 * is never lost to a broker failover. Records may be as large as a 35 MB message with its attachments.
 */
@Configuration(proxyBeanMethods = false)
class KafkaSerialization {

	@Bean
	DefaultKafkaProducerFactoryCustomizer mailroomProducerSerialization() {
		return factory -> factory.updateConfigs(Map.of(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
				StringSerializer.class, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
				ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
				ProducerConfig.MAX_REQUEST_SIZE_CONFIG, KafkaTopics.MAX_RECORD_BYTES,
				// the send buffer must hold at least one record of the largest size
				ProducerConfig.BUFFER_MEMORY_CONFIG, 2L * KafkaTopics.MAX_RECORD_BYTES));
	}

	@Bean
	DefaultKafkaConsumerFactoryCustomizer mailroomConsumerSerialization() {
		return factory -> factory.updateConfigs(Map.of(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
				StringDeserializer.class, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
				ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, KafkaTopics.MAX_RECORD_BYTES));
	}

}
