package io.mailroom.core.events;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How Mailroom's topics are created when they do not exist yet (existing topics are left alone).
 *
 * @param partitions partitions of {@code mail.send-requests}: the most worker instances that consume in
 *     parallel (default 12)
 * @param replicationFactor replicas per partition (default 1 for a single broker; use 3 in production)
 */
@Validated
@ConfigurationProperties("mailroom.kafka.topics")
public record KafkaTopicsProperties(@Min(1) @DefaultValue("12") int partitions,
		@Min(1) @DefaultValue("1") short replicationFactor) {
}
