package io.mailroom.worker;

import io.mailroom.contracts.SendRequest;
import io.mailroom.contracts.SendResult;
import io.mailroom.contracts.SendStatus;
import io.mailroom.core.services.SmtpService;
import io.mailroom.sandbox.Scenario;
import io.mailroom.sandbox.SmtpStage;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Repeated connection failures open a service's circuit; it recovers once the server does. */
class CircuitBreakerIntegrationTest extends WorkerIntegrationTest {

	@Autowired
	MeterRegistry meters;

	@Test
	void repeatedConnectionFailuresOpenTheCircuitWhichRecoversWhenTheServerDoes() {
		SmtpService service = authorizedService();
		Scenario drops = microsoft().scenarios().dropConnection(SmtpStage.MAIL, 6);
		try {
			SendRequest request = mail(service).build();
			publish(request);

			await().until(() -> openCircuits("mailbox") >= 1);

			SendResult result = awaitResult(request.requestId());
			assertThat(result.status()).isEqualTo(SendStatus.SENT);
			assertThat(result.attempts()).isGreaterThan(1);
			await().until(() -> openCircuits("mailbox") == 0);
		}
		finally {
			drops.clear();
		}
	}

	private double openCircuits(String kind) {
		return meters.get("mailroom.circuit.breakers").tag("kind", kind).tag("state", "open").gauge().value();
	}

}
