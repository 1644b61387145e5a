package io.mailroom.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.apache.kafka.common.utils.AppInfoParser;

/** What the numbers were measured on, for the report's header. */
record Environment(Instant at, String jdk, int cpus, String loadAverage, String postgres, String synchronousCommit,
		String kafka) {

	static Environment describe(Infrastructure infrastructure) {
		String postgres = infrastructure.jdbc().sql("show server_version").query(String.class).single();
		String synchronousCommit = infrastructure.jdbc().sql("show synchronous_commit").query(String.class).single();
		Runtime.Version version = Runtime.version();
		String jdk = version.feature() + " (" + System.getProperty("java.vm.vendor", "?") + " " + version + ")";
		return new Environment(Instant.now().truncatedTo(ChronoUnit.SECONDS), jdk,
				Runtime.getRuntime().availableProcessors(), readLoadAverage(), postgres, synchronousCommit,
				AppInfoParser.getVersion());
	}

	private static String readLoadAverage() {
		try {
			String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
			return fields[0] + " " + fields[1] + " " + fields[2];
		}
		catch (IOException | RuntimeException ex) {
			return "?";
		}
	}

}
