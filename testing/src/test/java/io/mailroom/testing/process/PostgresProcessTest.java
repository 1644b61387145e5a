package io.mailroom.testing.process;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A PostgreSQL server that goes away and comes back on the same port with its data. */
class PostgresProcessTest {

	@TempDir
	Path directory;

	private PostgresProcess postgres;

	@AfterEach
	void stopServer() {
		if (postgres != null) {
			postgres.close();
		}
	}

	@Test
	void stoppedServerRefusesConnectionsAndComesBackOnTheSamePortWithItsData() throws Exception {
		postgres = PostgresProcess.start(directory.resolve("data"), directory.resolve("postgres.log"));
		String url = postgres.createDatabase("kept");
		execute(url, "create table note (text text); insert into note values ('before the stop')");
		long firstPid = postgres.pid();

		postgres.stop();

		assertThat(postgres.running()).isFalse();
		assertThatThrownBy(() -> execute(url, "select 1")).isInstanceOf(SQLException.class);
		postgres.restart();
		assertThat(postgres.pid()).isNotEqualTo(firstPid);
		assertThat(query(url, "select text from note")).isEqualTo("before the stop");
	}

	private static void execute(String url, String sql) throws SQLException {
		try (Connection connection = dataSource(url).getConnection(); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private static String query(String url, String sql) throws SQLException {
		try (Connection connection = dataSource(url).getConnection();
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(sql)) {
			rows.next();
			return rows.getString(1);
		}
	}

	private static DriverManagerDataSource dataSource(String url) {
		return new DriverManagerDataSource(url, PostgresProcess.USER, PostgresProcess.USER);
	}

}
