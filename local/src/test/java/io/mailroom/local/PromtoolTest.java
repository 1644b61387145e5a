package io.mailroom.local;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Prometheus' own checker accepts the alert rules and the scrape configuration, and the rules pass their unit
 * tests ({@code ops/prometheus/alerts.test.yml}: one alert for two workers' equal gauges, thresholds, wording).
 * Skipped where promtool is not installed (Debian: {@code apt-get install prometheus}; CI installs it).
 */
class PromtoolTest {

	@Test
	void acceptsTheAlertRules() throws Exception {
		assertThat(promtool("check", "rules", OpsFiles.ALERTS.toString())).contains("SUCCESS");
	}

	@Test
	void theAlertsFireAsTheirUnitTestsExpect() throws Exception {
		assertThat(promtool("test", "rules", OpsFiles.ALERTS.resolveSibling("alerts.test.yml").toString()))
			.contains("SUCCESS");
	}

	@Test
	void acceptsThePrometheusConfiguration(@TempDir Path folder) throws Exception {
		// the configuration names the rules where docker-compose.yml mounts them
		Path alerts = Files.copy(OpsFiles.ALERTS, folder.resolve("alerts.yml"));
		Path config = Files.writeString(folder.resolve("prometheus.yml"),
				OpsFiles.read(OpsFiles.PROMETHEUS).replace("/etc/prometheus/alerts.yml", alerts.toString()));
		assertThat(promtool("check", "config", config.toString())).contains("SUCCESS");
	}

	private static String promtool(String... args) throws IOException, InterruptedException {
		Optional<Path> promtool = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
			.map(folder -> Path.of(folder, "promtool"))
			.filter(Files::isExecutable)
			.findFirst();
		assumeTrue(promtool.isPresent(), "promtool is not on the PATH");
		Process process = new ProcessBuilder(Stream.concat(Stream.of(promtool.get().toString()), Stream.of(args)).toList())
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		return output;
	}

}
