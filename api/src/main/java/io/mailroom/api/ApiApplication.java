package io.mailroom.api;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The admin API: SMTP services, the Microsoft authorization flow, test emails, status and delivery log.
 * Callers are API keys and JWTs, never users with passwords, so Boot's generated in-memory user is left out.
 */
@SpringBootApplication(scanBasePackages = { "io.mailroom.api", "io.mailroom.core" },
		exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan({ "io.mailroom.api", "io.mailroom.core" })
public class ApiApplication {

	public static void main(String[] args) {
		SpringApplication.run(ApiApplication.class, args);
	}

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
