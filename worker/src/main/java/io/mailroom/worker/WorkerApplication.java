package io.mailroom.worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The delivery worker: Kafka intake, per-service scheduling, SMTP delivery, result events. */
@SpringBootApplication(scanBasePackages = { "io.mailroom.worker", "io.mailroom.core" })
@ConfigurationPropertiesScan({ "io.mailroom.worker", "io.mailroom.core" })
public class WorkerApplication {

	public static void main(String[] args) {
		SpringApplication.run(WorkerApplication.class, args);
	}

}
