package io.mailroom.local;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What can be checked of docker-compose.yml without a container engine: it parses, what it mounts and
 * builds exists, every app gets each environment variable it cannot do without, Prometheus and Grafana point
 * at services that exist on the ports they listen on.
 */
class DockerComposeTest {

	private static final Path ROOT = OpsFiles.ROOT;

	private static final Map<String, String> MODULES = Map.of("api", "api", "worker-1", "worker", "worker-2",
			"worker");

	/** {@code ${NAME}}, {@code ${NAME:default}} in application.yml. */
	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^}]*))?}");

	/** {@code ${NAME:?message}} in docker-compose.yml: the operator must set it. */
	private static final Pattern REQUIRED = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):\\?");

	private final Map<String, Object> compose = new Yaml().load(OpsFiles.read(ROOT.resolve("docker-compose.yml")));

	@Test
	void runsKafkaPostgresTheApiTwoWorkersPrometheusAndGrafana() {
		assertThat(services().keySet()).containsExactlyInAnyOrder("kafka", "postgres", "api", "worker-1", "worker-2",
				"prometheus", "grafana");
		assertThat(service("kafka").get("image")).isEqualTo("apache/kafka:4.1.2");
		assertThat(Uuid.fromString(String.valueOf(environment("kafka").get("CLUSTER_ID")))).isNotNull();
	}

	@Test
	void everyBuildAndMountedFileExists() {
		services().forEach((name, definition) -> {
			Map<String, Object> service = map(definition);
			if (service.get("build") != null) {
				Map<String, Object> build = map(service.get("build"));
				Path dockerfile = ROOT.resolve(String.valueOf(build.get("context")))
					.resolve(String.valueOf(build.get("dockerfile")));
				assertThat(dockerfile).as(name).isRegularFile();
				String module = String.valueOf(map(build.get("args")).get("MODULE"));
				assertThat(module).as(name).isEqualTo(MODULES.get(name));
				// the Dockerfile copies the Boot jar with classifier exec
				assertThat(OpsFiles.read(ROOT.resolve(module).resolve("pom.xml"))).contains("<classifier>exec</classifier>");
			}
			for (Object volume : list(service.get("volumes"))) {
				String source = String.valueOf(volume).split(":")[0];
				if (source.startsWith("./")) {
					assertThat(ROOT.resolve(source)).as(name + " mounts " + source).exists();
				}
				else {
					assertThat(map(this.compose.get("volumes"))).as(name + " uses volume " + source).containsKey(source);
				}
			}
		});
	}

	@Test
	void everyAppGetsTheVariablesItHasNoUsableDefaultFor() {
		MODULES.forEach((service, module) -> {
			Map<String, String> read = placeholders(module);
			Set<String> needed = new TreeSet<>();
			read.forEach((variable, fallback) -> {
				// no default, an empty one, or one that only works outside a container
				if (fallback == null || fallback.isEmpty() || fallback.contains("localhost")) {
					needed.add(variable);
				}
			});
			Map<String, Object> environment = environment(service);
			assertThat(environment.keySet()).as(service).containsAll(needed);
			String activeKey = String.valueOf(environment.get("MAILROOM_SECRETS_ACTIVE_KEY"));
			assertThat(environment).as(service + ": the active key's MAILROOM_SECRETS_KEYS_<ID>")
				.containsKey("MAILROOM_SECRETS_KEYS_" + activeKey.toUpperCase(java.util.Locale.ROOT));
			for (String variable : environment.keySet()) {
				assertThat(read.containsKey(variable) || variable.startsWith("MAILROOM_SECRETS_KEYS_")
						|| variable.startsWith("SPRING_") || variable.startsWith("LOGGING_")
						|| variable.startsWith("MANAGEMENT_"))
					.as(service + " sets " + variable + ", which " + module + " does not read")
					.isTrue();
			}
		});
	}

	@Test
	void theReadmeNamesEverySettingComposeRequires() {
		Matcher required = REQUIRED.matcher(OpsFiles.read(ROOT.resolve("docker-compose.yml")));
		Set<String> variables = new TreeSet<>();
		while (required.find()) {
			variables.add(required.group(1));
		}
		assertThat(variables).contains("POSTGRES_PASSWORD", "MAILROOM_SECRETS_KEY");
		String readme = OpsFiles.read(ROOT.resolve("README.md"));
		assertThat(variables).allSatisfy(variable -> assertThat(readme).contains(variable));
	}

	@Test
	void prometheusScrapesTheAppsWhereTheyListen() {
		Map<String, Object> prometheus = new Yaml().load(OpsFiles.read(OpsFiles.PROMETHEUS));
		Set<String> scraped = new TreeSet<>();
		for (Object job : list(prometheus.get("scrape_configs"))) {
			assertThat(map(job).get("metrics_path")).isEqualTo("/actuator/prometheus");
			for (Object config : list(map(job).get("static_configs"))) {
				for (Object target : list(map(config).get("targets"))) {
					String[] hostAndPort = String.valueOf(target).split(":");
					assertThat(services()).as(String.valueOf(target)).containsKey(hostAndPort[0]);
					assertThat(managementPort(hostAndPort[0])).as(String.valueOf(target)).isEqualTo(hostAndPort[1]);
					scraped.add(hostAndPort[0]);
				}
			}
		}
		assertThat(scraped).containsExactlyInAnyOrderElementsOf(MODULES.keySet());
		assertThat(list(service("prometheus").get("volumes")))
			.anySatisfy(volume -> assertThat(String.valueOf(volume)).endsWith(":/etc/prometheus/alerts.yml:ro"));
	}

	@Test
	void theApisMetricsAndProbesAreNotPublished() {
		String management = managementPort("api");
		assertThat(management).isNotEqualTo(String.valueOf(environment("api").get("PORT")));
		assertThat(list(service("api").get("ports")))
			.noneSatisfy(published -> assertThat(String.valueOf(published)).endsWith(":" + management));
	}

	@Test
	void grafanaShowsTheDashboardFromTheProvisionedPrometheus() {
		Map<String, Object> datasources = new Yaml().load(OpsFiles.read(OpsFiles.DATASOURCES));
		Map<String, Object> datasource = map(list(datasources.get("datasources")).get(0));
		URI url = URI.create(String.valueOf(datasource.get("url")));
		assertThat(services()).containsKey(url.getHost());
		assertThat(list(service(url.getHost()).get("ports"))).contains(url.getPort() + ":" + url.getPort());
		Set<String> uids = new TreeSet<>();
		Http.JSON.readTree(OpsFiles.read(OpsFiles.DASHBOARD))
			.path("panels")
			.forEach(panel -> panel.findValues("uid").forEach(uid -> uids.add(uid.asString())));
		assertThat(uids).containsExactly(String.valueOf(datasource.get("uid")));
	}

	/** Where a service's actuator listens: its management port if it has one of its own, else its port. */
	private String managementPort(String service) {
		Map<String, Object> environment = environment(service);
		return String.valueOf(environment.getOrDefault("MANAGEMENT_SERVER_PORT", environment.get("PORT")));
	}

	/** The environment variables an app's application.yml reads, with their defaults (null: none). */
	private static Map<String, String> placeholders(String module) {
		Path yml = ROOT.resolve(module).resolve("src/main/resources/application.yml");
		assertThat(yml).isRegularFile();
		Map<String, String> variables = new LinkedHashMap<>();
		Matcher placeholder = PLACEHOLDER.matcher(OpsFiles.read(yml));
		while (placeholder.find()) {
			variables.put(placeholder.group(1), placeholder.group(2));
		}
		// core's secrets keys have no placeholder: MAILROOM_SECRETS_ACTIVE_KEY binds by name, without default
		variables.putIfAbsent("MAILROOM_SECRETS_ACTIVE_KEY", null);
		return variables;
	}

	private Map<String, Object> services() {
		return map(this.compose.get("services"));
	}

	private Map<String, Object> service(String name) {
		return map(services().get(name));
	}

	private Map<String, Object> environment(String service) {
		return map(service(service).get("environment"));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		return value == null ? Map.of() : (Map<String, Object>) value;
	}

	@SuppressWarnings("unchecked")
	private static List<Object> list(Object value) {
		return value == null ? List.of() : (List<Object>) value;
	}

}
