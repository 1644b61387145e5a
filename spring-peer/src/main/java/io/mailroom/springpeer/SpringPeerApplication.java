package io.mailroom.springpeer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The application a Spring user would write instead of Mailroom: send requests from Kafka, each sent with
 * {@code JavaMailSender}, everything else left to Spring Boot's defaults and its reference documentation.
 */
@SpringBootApplication
public class SpringPeerApplication {

	public static void main(String[] args) {
		SpringApplication.run(SpringPeerApplication.class, args);
	}

}
