package io.mailroom.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server from the embedded binaries, its data directory kept between runs, holding the
 * {@value #DATABASE} database that api and worker share.
 */
final class LocalPostgres implements AutoCloseable {

	static final String DATABASE = "mailroom";

	static final String USER = "postgres";

	private static final Logger LOG = LoggerFactory.getLogger(LocalPostgres.class);

	private final EmbeddedPostgres server;

	private LocalPostgres(EmbeddedPostgres server) {
		this.server = server;
	}

	static LocalPostgres start(Path dataDirectory, int port, Path logFile) {
		try {
			Files.createDirectories(dataDirectory);
			stopLeftover(dataDirectory);
			EmbeddedPostgres server = EmbeddedPostgres.builder()
				.setDataDirectory(dataDirectory)
				.setCleanDataDirectory(false)
				.setPort(port)
				// stopped by LocalMailroom after the apps, not by a hook of its own racing them
				.setRegisterShutdownHook(false)
				.setOutputRedirector(Redirect.appendTo(logFile.toFile()))
				.setErrorRedirector(Redirect.appendTo(logFile.toFile()))
				.start();
			LocalPostgres postgres = new LocalPostgres(server);
			postgres.createDatabase();
			return postgres;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start PostgreSQL in " + dataDirectory + " (see " + logFile + ")",
					ex);
		}
	}

	String jdbcUrl() {
		return "jdbc:postgresql://localhost:" + this.server.getPort() + "/" + DATABASE;
	}

	private void createDatabase() {
		try (Connection connection = this.server.getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement()) {
			try (ResultSet exists = statement.executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'")) {
				if (exists.next()) {
					return;
				}
			}
			statement.execute("create database " + DATABASE);
			LOG.info("Created database {}", DATABASE);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create database " + DATABASE, ex);
		}
	}

	/**
	 * A run killed without its shutdown hook (kill -9, a closed terminal) leaves its server running, and that
	 * server keeps the port and the data directory. Its clients died with that run, so a smart shutdown
	 * (SIGTERM) ends it at once.
	 */
	private static void stopLeftover(Path dataDirectory) throws IOException {
		Path pidFile = dataDirectory.resolve("postmaster.pid");
		if (!Files.exists(pidFile)) {
			return;
		}
		List<String> lines = Files.readAllLines(pidFile);
		Optional<ProcessHandle> leftover = lines.isEmpty() ? Optional.empty()
				: ProcessHandle.of(Long.parseLong(lines.get(0).strip()))
					.filter(process -> process.info().command().map(c -> c.endsWith("postgres")).orElse(false));
		if (leftover.isEmpty()) {
			return;
		}
		LOG.info("Stopping the PostgreSQL server (pid {}) an earlier run left behind", leftover.get().pid());
		try {
			leftover.get().destroy();
			leftover.get().onExit().get(30, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			LOG.warn("Could not stop PostgreSQL process {}: {}", leftover.get().pid(), ex.toString());
		}
	}

	@Override
	public void close() {
		try {
			this.server.close();
		}
		catch (IOException ex) {
			LOG.warn("Could not stop PostgreSQL cleanly: {}", ex.toString());
		}
	}

}
