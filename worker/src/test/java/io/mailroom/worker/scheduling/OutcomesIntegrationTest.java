package io.mailroom.worker.scheduling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.mailroom.contracts.ErrorCategory;
import io.mailroom.contracts.ErrorDetails;
import io.mailroom.contracts.MailroomJson;
import io.mailroom.contracts.SendRequest;
import io.mailroom.contracts.SmtpReply;
import io.mailroom.core.services.SmtpServices;
import io.mailroom.worker.queue.DeliveryQueue;
import io.mailroom.worker.queue.MailboxLeases;
import io.mailroom.worker.queue.NewDelivery;
import io.mailroom.worker.queue.Outcome;
import io.mailroom.worker.queue.QueuedMail;
import io.mailroom.worker.results.ResultPublisher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the database refuses never blocks settlement: the batch is split and the refused outcome is
 * written without its free text, while the rest of its batch is written as it is.
 */
class OutcomesIntegrationTest {

	private static AnnotationConfigApplicationContext persistence;

	@BeforeAll
	static void startPersistence() {
		persistence = new AnnotationConfigApplicationContext(SchedulingPersistence.class);
	}

	@AfterAll
	static void stopPersistence() {
		persistence.close();
	}

	@Test
	void anOutcomeWhoseServerReplyTheDatabaseRefusesIsWrittenWithoutItsTextAndTheBatchGoesOn() throws Exception {
		DeliveryQueue queue = persistence.getBean(DeliveryQueue.class);
		JdbcClient jdbc = persistence.getBean(JdbcClient.class);
		String mailbox = "smtp.test/" + UUID.randomUUID() + "@contoso.test";
		UUID service = UUID.randomUUID();
		jdbc.sql("""
				insert into smtp_service (id, account_id, name, host, port, from_address, auth_type, username, status,
				  mailbox)
				values (?, 'acct-outcomes', 'Relay', 'smtp.test', 587, 'a@contoso.test', 'BASIC', 'a@contoso.test',
				  'AUTHORIZED', ?)""").params(service, mailbox).update();
		List<QueuedMail> claimed = claimTwo(queue, mailbox, service);
		Instant now = Instant.now();
		// whatever PostgreSQL may refuse in a server's text that text cleaning does not foresee, stands in here
		jdbc.sql("""
				create or replace function refuse_unforeseen_text() returns trigger language plpgsql as $$
				begin
				  if new.smtp_reply ->> 'text' like '%unforeseen%' then
				    raise exception 'text refused' using errcode = '22023';
				  end if;
				  return new;
				end $$""").update();
		jdbc.sql("""
				create trigger refuse_unforeseen_text before update on delivery
				for each row execute function refuse_unforeseen_text()""").update();
		SmtpReply poisoned = new SmtpReply(451, "4.7.0", "Temporary failure, unforeseen text");
		ErrorDetails error = new ErrorDetails(ErrorCategory.PROVIDER_OUTAGE, "4.7.0",
				"Server said: Temporary failure, unforeseen text", "Retried automatically.", null, true);
		List<Outcome> settled = new CopyOnWriteArrayList<>();
		Outcomes outcomes = new Outcomes(queue, "worker-1", persistence.getBean(ResultPublisher.class),
				persistence.getBean(SmtpServices.class), Clock.systemUTC());
		outcomes.start();
		try {
			outcomes.submit(new Outcome.Retry(claimed.get(0), "<a@mailroom>", poisoned, error, true, false,
					now.plusSeconds(60), now, now), settled::add);
			outcomes.submit(new Outcome.Sent(claimed.get(1), "<b@mailroom>", new SmtpReply(250, "2.0.0", "OK"), now, now),
					settled::add);

			await().until(() -> settled.size() == 2);
		}
		finally {
			outcomes.stop(Duration.ofSeconds(10));
			jdbc.sql("drop trigger refuse_unforeseen_text on delivery").update();
		}

		record Row(String status, String reply, String error) {
		}
		List<Row> rows = jdbc.sql("""
				select status, smtp_reply ->> 'text' as reply, error ->> 'message' as error from delivery
				where request_id = any(?) order by status""")
			.param(claimed.stream().map(QueuedMail::requestId).toArray(UUID[]::new))
			.query((rs, n) -> new Row(rs.getString("status"), rs.getString("reply"), rs.getString("error")))
			.list();
		assertThat(rows).containsExactly(new Row("QUEUED", "", "The text of this error could not be stored."),
				new Row("SENT", "OK", null));
	}

	private static List<QueuedMail> claimTwo(DeliveryQueue queue, String mailbox, UUID service) {
		for (int i = 0; i < 2; i++) {
			SendRequest request = SendRequest.builder("acct-outcomes", service).to("r@customer.example").subject("Hi")
				.text("Hello.").build();
			queue.insert(List.of(NewDelivery.queued(request, MailroomJson.mapper().writeValueAsBytes(request), null,
					Instant.now())), Instant.now().minusSeconds(1));
		}
		MailboxLeases.Lease lease = persistence.getBean(MailboxLeases.class)
			.acquire(mailbox, "worker-1", Duration.ofSeconds(15), Duration.ofSeconds(60))
			.orElseThrow();
		Optional<List<QueuedMail>> claimed = queue.claim(mailbox, "worker-1", lease.generation(), 2,
				Duration.ofSeconds(60), Instant.now(), false, List.of(), 0);
		return claimed.orElseThrow();
	}

}
