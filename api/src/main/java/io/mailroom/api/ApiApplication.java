package io.mailroom.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The admin API: SMTP services, the Microsoft authorization flow, test emails, status and delivery log. */
@SpringBootApplication(scanBasePackages = { "io.mailroom.api", "io.mailroom.core" })
@ConfigurationPropertiesScan({ "io.mailroom.api", "io.mailroom.core" })
public class ApiApplication {

	public static void main(String[] args) {
		SpringApplication.run(ApiApplication.class, args);
	}

}
