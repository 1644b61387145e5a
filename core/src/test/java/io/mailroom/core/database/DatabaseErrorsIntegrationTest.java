package io.mailroom.core.database;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.util.List;

import io.mailroom.testing.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** What a real PostgreSQL throws is told apart: unavailable (retry) or refused data (set it aside). */
class DatabaseErrorsIntegrationTest {

	private static String url;

	private static JdbcTemplate jdbc;

	@BeforeAll
	static void createTable() {
		url = TestPostgres.newDatabase();
		jdbc = new JdbcTemplate(TestPostgres.dataSource(url));
		jdbc.execute("create table note (id serial primary key, body text, doc jsonb)");
	}

	@Test
	void aNulInABatchedTextIsRefusedData() {
		Throwable failure = catchThrowable(() -> jdbc.batchUpdate("insert into note (body) values (?)",
				List.of(new Object[] { "fine" }, new Object[] { "bad\u0000" })));

		assertThat(DatabaseErrors.isUnavailable(failure)).isFalse();
		assertThat(DatabaseErrors.sqlState(failure)).isEqualTo("22021");
	}

	@Test
	void aNulEscapeInJsonbIsRefusedData() {
		Throwable failure = catchThrowable(
				() -> jdbc.update("insert into note (doc) values (cast(? as jsonb))", "{\"a\": \"\\u0000\"}"));

		assertThat(DatabaseErrors.isUnavailable(failure)).isFalse();
		assertThat(DatabaseErrors.sqlState(failure)).isEqualTo("22P05");
	}

	@Test
	void aProgramLimitIsRefusedDataThoughSpringFilesItAsAResourceFailure() {
		Throwable failure = catchThrowable(() -> jdbc.execute("do $$ begin raise exception 'too big' using errcode = '54000'; end $$"));

		assertThat(failure).isInstanceOf(org.springframework.dao.DataAccessResourceFailureException.class);
		assertThat(DatabaseErrors.isUnavailable(failure)).isFalse();
	}

	@Test
	void aServerOutOfResourcesAndACancelledStatementAreUnavailability() {
		assertThat(DatabaseErrors.isUnavailable(catchThrowable(
				() -> jdbc.execute("do $$ begin raise exception 'full' using errcode = '53100'; end $$")))).isTrue();
		assertThat(DatabaseErrors.isUnavailable(catchThrowable(() -> jdbc.execute(
				"set statement_timeout = 50; select pg_sleep(1)")))).isTrue();
	}

	@Test
	void aRefusedConnectionIsUnavailability() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		JdbcTemplate nowhere = new JdbcTemplate(
				new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:" + closedPort + "/mailroom", "postgres", "postgres"));

		assertThat(DatabaseErrors.isUnavailable(catchThrowable(() -> nowhere.queryForObject("select 1", Integer.class))))
			.isTrue();
	}

	@Test
	void aServerThatDropsTheConnectionMidTransactionIsUnavailabilityThoughTheRollbackFailsToo() {
		try (HikariDataSource pool = new HikariDataSource()) {
			pool.setJdbcUrl(url);
			pool.setUsername("postgres");
			pool.setPassword("postgres");
			TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(pool));
			JdbcTemplate pooled = new JdbcTemplate(pool);

			// as when PostgreSQL shuts down under a transaction: the pool closes the broken connection, so the
			// rollback fails on a closed connection and its exception hides the server's 57P01
			Throwable failure = catchThrowable(() -> transaction.executeWithoutResult(status -> {
				pooled.update("insert into note (body) values ('kept?')");
				pooled.execute("select pg_terminate_backend(pg_backend_pid())");
			}));

			assertThat(failure).isInstanceOf(TransactionSystemException.class);
			assertThat(DatabaseErrors.isUnavailable(failure)).isTrue();
		}
	}

	@Test
	void aFailedRollbackIsUnavailabilityWhateverItHides() {
		assertThat(DatabaseErrors.isUnavailable(new TransactionSystemException("JDBC rollback failed",
				new SQLException("Connection is closed")))).isTrue();
	}

	@Test
	void theSummaryIsTheServersStateAndFirstLineWithoutTheStatement() {
		Throwable failure = catchThrowable(() -> jdbc.execute("do $$ begin raise exception 'deadlock detected' "
				+ "using errcode = '40P01', detail = 'Process 1 waits for ShareLock on transaction 2'; end $$"));

		assertThat(failure.toString()).contains("raise exception");
		assertThat(DatabaseErrors.summary(failure)).isEqualTo("SQLSTATE 40P01: ERROR: deadlock detected");
	}

	@Test
	void theSummaryOfAFailureWithoutAnSqlStateIsItsInnermostCause() {
		assertThat(DatabaseErrors.summary(new IllegalStateException("outer\nmore", new IOException("reset"))))
			.isEqualTo("IOException: reset");
	}

	@Test
	void aFailureWithoutAnSqlStateIsNotUnavailability() {
		assertThat(DatabaseErrors.isUnavailable(new IllegalArgumentException("bad value"))).isFalse();
		assertThat(DatabaseErrors.sqlState(new IllegalArgumentException("bad value"))).isNull();
	}

}
