package io.mailroom.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/** The files under {@code ops/} and the metric names their queries use. */
final class OpsFiles {

	/** The repository's root: tests run in the module's folder. */
	static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	static final Path ALERTS = ROOT.resolve("ops/prometheus/alerts.yml");

	static final Path PROMETHEUS = ROOT.resolve("ops/prometheus/prometheus.yml");

	static final Path DASHBOARD = ROOT.resolve("ops/grafana/dashboards/mailroom.json");

	static final Path DATASOURCES = ROOT.resolve("ops/grafana/provisioning/datasources/prometheus.yml");

	// Mailroom's own meters and the Kafka clients' ones; Prometheus' own series (up, ALERTS) are not scraped.
	private static final Pattern METRIC = Pattern.compile("\\b(?:mailroom|kafka)_[a-z0-9_]+\\b");

	private OpsFiles() {
	}

	/** Every metric name that a dashboard panel or an alert rule queries. */
	static Set<String> metricsUsed() {
		Set<String> names = new TreeSet<>();
		for (JsonNode panel : Http.JSON.readTree(read(DASHBOARD)).path("panels")) {
			for (JsonNode target : panel.path("targets")) {
				names.addAll(metricNames(target.path("expr").asString()));
			}
		}
		for (String line : read(ALERTS).lines().toList()) {
			// expressions only: annotations speak of metrics in prose
			if (!line.strip().startsWith("summary:") && !line.strip().startsWith("description:")) {
				names.addAll(metricNames(line));
			}
		}
		return names;
	}

	static Set<String> metricNames(String text) {
		Set<String> names = new TreeSet<>();
		Matcher matcher = METRIC.matcher(text);
		while (matcher.find()) {
			names.add(matcher.group());
		}
		return names;
	}

	static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
