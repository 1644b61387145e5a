package io.mailroom.worker.scheduling;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import io.mailroom.contracts.ErrorCategory;
import io.mailroom.contracts.ErrorDetails;
import io.mailroom.contracts.SendRequest;
import io.mailroom.contracts.SmtpReply;
import io.mailroom.core.services.SmtpServices;
import io.mailroom.worker.queue.Outcome;
import io.mailroom.worker.queue.QueuedMail;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static io.mailroom.core.database.SqlValues.instant;
import static org.assertj.core.api.Assertions.assertThat;

/** The services' latest outcomes reach their status pages at most an interval late, for many services at once. */
class ServiceNotesIntegrationTest {

	private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);

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
	void aBusyWriterNotesAtMostOncePerIntervalAndAnIdleOneAtOnce() {
		UUID relay = service("Relay");
		UUID newsletter = service("Newsletter");
		ServiceNotes notes = new ServiceNotes(persistence.getBean(SmtpServices.class));

		notes.gather(List.of(sent(relay, T0), sent(newsletter, T0.plusMillis(5))));
		notes.writeIfDue(T0.plusMillis(10), false);
		assertThat(lastSuccess(relay)).isEqualTo(T0);
		assertThat(lastSuccess(newsletter)).isEqualTo(T0.plusMillis(5));

		notes.gather(List.of(sent(relay, T0.plusMillis(300)), failed(newsletter, T0.plusMillis(310), "5.7.60")));
		notes.writeIfDue(T0.plusMillis(500), false);
		assertThat(lastSuccess(relay)).as("within the interval, busy").isEqualTo(T0);
		assertThat(lastFailureCode(newsletter)).isNull();

		notes.writeIfDue(T0.plusMillis(600), true);
		assertThat(lastSuccess(relay)).as("idle").isEqualTo(T0.plusMillis(300));
		assertThat(lastFailureCode(newsletter)).isEqualTo("5.7.60");
	}

	@Test
	void theLatestOutcomeWinsEvenWhenAnOlderOneIsWrittenLater() {
		UUID relay = service("Relay");
		ServiceNotes notes = new ServiceNotes(persistence.getBean(SmtpServices.class));

		notes.gather(List.of(sent(relay, T0.plusSeconds(10)), failed(relay, T0.plusSeconds(10), "4.7.0"),
				failed(relay, T0.plusSeconds(5), "5.7.139")));
		notes.writeIfDue(T0, true);
		notes.gather(List.of(sent(relay, T0.plusSeconds(1)), failed(relay, T0.plusSeconds(2), "5.7.60")));
		notes.writeIfDue(T0.plusSeconds(3), true);

		assertThat(lastSuccess(relay)).isEqualTo(T0.plusSeconds(10));
		assertThat(lastFailureCode(relay)).isEqualTo("4.7.0");
	}

	private static UUID service(String name) {
		UUID id = UUID.randomUUID();
		persistence.getBean(JdbcClient.class).sql("""
				insert into smtp_service (id, account_id, name, host, port, from_address, auth_type, username, status,
				  mailbox)
				values (?, 'acct-notes', ?, 'smtp.test', 587, 'a@contoso.test', 'BASIC', 'a@contoso.test',
				  'AUTHORIZED', ?)""").params(id, name, "smtp.test/" + id + "@contoso.test").update();
		return id;
	}

	private static QueuedMail mail(UUID service) {
		SendRequest request = SendRequest.builder("acct-notes", service).to("r@customer.example").subject("Hi")
			.text("Hello.").build();
		return new QueuedMail(request, 0, 0, T0, T0, T0.plusSeconds(3600), null, 1, T0);
	}

	private static Outcome sent(UUID service, Instant at) {
		return new Outcome.Sent(mail(service), "<a@mailroom>", new SmtpReply(250, "2.0.0", "OK"), at, at);
	}

	private static Outcome failed(UUID service, Instant at, String code) {
		return new Outcome.Failed(mail(service), "<a@mailroom>", new SmtpReply(550, code, "No"),
				new ErrorDetails(ErrorCategory.CONFIGURATION, code, "Refused", "Fix it.", null, false), true, false, at,
				at);
	}

	private static Instant lastSuccess(UUID service) {
		return persistence.getBean(JdbcClient.class)
			.sql("select last_success_at from smtp_service where id = ?")
			.param(service)
			.query((rs, n) -> instant(rs, "last_success_at"))
			.single();
	}

	private static String lastFailureCode(UUID service) {
		return persistence.getBean(JdbcClient.class)
			.sql("select last_failure ->> 'code' from smtp_service where id = ?")
			.param(service)
			.query((rs, n) -> rs.getString(1))
			.list()
			.getFirst();
	}

}
