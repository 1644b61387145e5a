package io.mailroom.core.database;

import java.util.Map;

import io.mailroom.contracts.ErrorCategory;
import io.mailroom.contracts.ErrorDetails;
import io.mailroom.contracts.MailroomJson;
import io.mailroom.contracts.SmtpReply;
import io.mailroom.core.failures.Failure;
import io.mailroom.core.failures.Failures;
import io.mailroom.core.failures.SmtpReplies;
import io.mailroom.testing.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Text from outside never makes a jsonb value unwritable, on a real PostgreSQL. */
class SqlValuesIntegrationTest {

	private static JdbcClient jdbc;

	@BeforeAll
	static void createTable() {
		jdbc = JdbcClient.create(TestPostgres.dataSource(TestPostgres.newDatabase()));
		jdbc.sql("create table outcome (id serial primary key, error jsonb, smtp_reply jsonb)").update();
	}

	@Test
	void postgresqlRefusesANulInJsonbWrittenByThePlainMapper() {
		String raw = MailroomJson.mapper().writeValueAsString(Map.of("message", "bad\u0000reply"));

		assertThatThrownBy(() -> jdbc.sql("insert into outcome (error) values (cast(? as jsonb))").param(raw).update())
			.hasMessageContaining("\\u0000");
	}

	@Test
	void errorDetailsWithANulAndALoneSurrogateRoundTripCleaned() {
		ErrorDetails error = new ErrorDetails(ErrorCategory.UNKNOWN, "X\u0000", "The server said \u0000 and \ud800.",
				"Hint\u001b[0m", null, true);

		ErrorDetails read = roundTrip("error", error, ErrorDetails.class);

		assertThat(read.message()).isEqualTo("The server said \ufffd and \ufffd.");
		assertThat(read.code()).isEqualTo("X\ufffd");
		assertThat(read.hint()).isEqualTo("Hint\ufffd[0m");
		assertThat(read.category()).isEqualTo(ErrorCategory.UNKNOWN);
		assertThat(read.retryable()).isTrue();
	}

	@Test
	void aTenantsReplyWithANulIsStoredAsItsFailure() {
		SmtpReply reply = SmtpReplies.parse("550 5.7.1 Rejected by policy\u0000\ud83d [mx.tenant.example]");
		Failure failure = Failures.smtp(reply);

		SmtpReply storedReply = roundTrip("smtp_reply", failure.smtpReply(), SmtpReply.class);
		ErrorDetails storedError = roundTrip("error", failure.error(), ErrorDetails.class);

		assertThat(storedReply).isEqualTo(new SmtpReply(550, "5.7.1", "Rejected by policy\ufffd\ufffd [mx.tenant.example]"));
		assertThat(storedError).isEqualTo(failure.error());
	}

	@Test
	void namesOfJsonObjectsAreCleanedToo() {
		Map<String, String> tags = Map.of("fea\u0000ture", "pass\ud800word-reset");

		assertThat(roundTrip("error", tags, Map.class)).isEqualTo(Map.of("fea\ufffdture", "pass\ufffdword-reset"));
	}

	@Test
	void cleanJsonIsWrittenExactlyAsTheMapperWritesIt() {
		ErrorDetails error = new ErrorDetails(ErrorCategory.NETWORK, "TIMEOUT", "Tabs\tand\nlines and ü 😀 stay.", null,
				null, true);

		assertThat(SqlValues.json(error)).isEqualTo(MailroomJson.mapper().writeValueAsString(error));
		assertThat(roundTrip("error", error, ErrorDetails.class)).isEqualTo(error);
	}

	private static <T> T roundTrip(String column, Object value, Class<T> type) {
		int id = jdbc.sql("insert into outcome (" + column + ") values (cast(? as jsonb)) returning id")
			.param(SqlValues.json(value))
			.query(Integer.class)
			.single();
		String stored = jdbc.sql("select " + column + "::text from outcome where id = ?").param(id).query(String.class).single();
		return SqlValues.fromJson(stored, type);
	}

}
