package io.mailroom.core;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Boots core's beans alone, against the real PostgreSQL and Kafka of {@code io.mailroom.testing}. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CoreTestApplication {

}
