package io.mailroom.worker.tokens;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Core plus the worker's tokens and delivery packages, without intake and scheduling. */
@SpringBootApplication(scanBasePackages = { "io.mailroom.core", "io.mailroom.worker.tokens",
		"io.mailroom.worker.delivery" })
@ConfigurationPropertiesScan({ "io.mailroom.core", "io.mailroom.worker.tokens", "io.mailroom.worker.delivery" })
public class TokensAndDeliveryTestApplication {

}
