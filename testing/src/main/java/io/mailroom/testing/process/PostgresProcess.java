package io.mailroom.testing.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real PostgreSQL server from the embedded binaries, its data directory and port kept across a stop and
 * a start, so that clients see the database go away and come back as after a restart in production.
 */
public final class PostgresProcess implements AutoCloseable {

	public static final String USER = "postgres";

	private final Path dataDirectory;

	private final Path log;

	private final int port;

	private volatile EmbeddedPostgres server;

	private PostgresProcess(Path dataDirectory, Path log, int port) {
		this.dataDirectory = dataDirectory;
		this.log = log;
		this.port = port;
	}

	/** Creates a new cluster in {@code dataDirectory} and starts it on a free port; output goes to {@code log}. */
	public static PostgresProcess start(Path dataDirectory, Path log) {
		PostgresProcess postgres = new PostgresProcess(dataDirectory.toAbsolutePath(), log.toAbsolutePath(),
				Processes.freePort());
		postgres.launch();
		return postgres;
	}

	/** Creates a database and returns its JDBC URL (user and password {@value #USER}). */
	public String createDatabase(String name) {
		try (Connection connection = server.getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("create database " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create database " + name, ex);
		}
		return jdbcUrl(name);
	}

	public String jdbcUrl(String database) {
		return "jdbc:postgresql://localhost:" + port + "/" + database;
	}

	/** A connection source for one of its databases, while it runs. */
	public DataSource dataSource(String database) {
		return server.getDatabase(USER, database);
	}

	/** The postmaster's process id, from its pid file. */
	public long pid() {
		try {
			return Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).getFirst().strip());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("PostgreSQL is not running in " + dataDirectory, ex);
		}
	}

	/**
	 * Stops the server as {@code pg_ctl stop -m fast} does: sessions are ended, the data stays. Returns once
	 * the server is gone (its pid file removed), so that the port is free.
	 */
	public void stop() {
		try {
			server.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not stop PostgreSQL; see " + log, ex);
		}
		try {
			Awaitility.await("PostgreSQL stopped")
				.atMost(Duration.ofMinutes(1))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> !Files.exists(dataDirectory.resolve("postmaster.pid")));
		}
		catch (ConditionTimeoutException ex) {
			throw new IllegalStateException("PostgreSQL did not stop within a minute; see " + log, ex);
		}
	}

	public boolean running() {
		return Files.exists(dataDirectory.resolve("postmaster.pid"));
	}

	/** Starts the stopped server again on the same port and data directory. */
	public void restart() {
		launch();
	}

	@Override
	public void close() {
		if (running()) {
			stop();
		}
	}

	private void launch() {
		try {
			Files.createDirectories(dataDirectory);
			server = EmbeddedPostgres.builder()
				.setDataDirectory(dataDirectory)
				.setCleanDataDirectory(false)
				.setPort(port)
				// production's default: a commit is durable when it returns (the embedded default is off)
				.setServerConfig("synchronous_commit", "on")
				.setOutputRedirector(Redirect.appendTo(log.toFile()))
				.setErrorRedirector(Redirect.appendTo(log.toFile()))
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start PostgreSQL in " + dataDirectory + "; see " + log, ex);
		}
	}

}
