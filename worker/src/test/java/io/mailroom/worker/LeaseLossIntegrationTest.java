package io.mailroom.worker;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import io.mailroom.contracts.SendRequest;
import io.mailroom.core.services.SmtpService;
import io.mailroom.sandbox.Scenario;
import io.mailroom.worker.scheduling.Dispatcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A worker that loses a service's lease stops dispatching it without stranding the mail it had claimed. */
@ExtendWith(OutputCaptureExtension.class)
class LeaseLossIntegrationTest extends WorkerIntegrationTest {

	@Autowired
	DataSource dataSource;

	@Autowired
	Dispatcher dispatcher;

	@Test
	void aLaneStoppedWhileItsClaimWaitedLeavesNoClaimedMailBehind(CapturedOutput output) throws Exception {
		SmtpService service = authorizedService();
		SendRequest first = mail(service).build();
		List<SendRequest> later = List.of(mail(service).notBefore(Instant.now().plusSeconds(3)).build(),
				mail(service).notBefore(Instant.now().plusSeconds(3)).build());
		try (Scenario slowServer = microsoft().scenarios().smtpLatency(Duration.ofSeconds(1))) {
			later.forEach(this::publish);
			await().until(() -> later.stream().allMatch(r -> "QUEUED".equals(statusOf(r.requestId()))));
			publish(first);
			// the lane is still sending the first mail (every SMTP reply takes a second) when the later ones fall due
			await().until(() -> "SENDING".equals(statusOf(first.requestId())));
			String worker = leaseOwner(service);

			try (Connection lock = dataSource.getConnection()) {
				lock.setAutoCommit(false);
				try (Statement statement = lock.createStatement()) {
					// reads go on, writes wait: the lane's claim of the later mails is held up here
					statement.execute("lock table delivery in exclusive mode");
				}
				await().until(() -> Instant.now().isAfter(later.getFirst().notBefore()));
				dispatcher.wake(List.of(service.id())); // as intake does after storing new mail
				await().until(() -> claimsWaiting() > 0);

				setLeaseOwner(service, "another-worker");
				await().until(() -> output.getAll().contains("Lost the lease of service " + service.id()));
				// the lease comes back, as when the service's next lane acquires it: no more stops for this lane
				setLeaseOwner(service, worker);
				lock.rollback();
			}

			await().atMost(Duration.ofSeconds(30))
				.until(() -> later.stream().allMatch(r -> "SENT".equals(statusOf(r.requestId()))));
		}
	}

	private String leaseOwner(SmtpService service) {
		return jdbc.sql("select owner from service_lease where service_id = ?").param(service.id()).query(String.class)
			.single();
	}

	private void setLeaseOwner(SmtpService service, String owner) {
		jdbc.sql("update service_lease set owner = ?, lease_until = now() + interval '1 hour' where service_id = ?")
			.params(owner, service.id())
			.update();
	}

	/** Claims waiting for the table lock: the lane's, once the later mails fall due and wake it. */
	private int claimsWaiting() {
		return jdbc.sql("""
				select count(*) from pg_stat_activity
				where wait_event_type = 'Lock' and query like 'update delivery d set status = ''SENDING''%'""")
			.query(Integer.class)
			.single();
	}

}
