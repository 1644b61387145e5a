package io.mailroom.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ops/java/mailroom-app}, the image's entrypoint, against a stand-in JDK whose {@code java} only writes
 * down how it was called: the AOT cache is recorded and used on JDK 25, and on JDK 21 nothing is recorded and
 * the application starts exactly as without the script.
 */
class AppLauncherScriptTest {

	private static final Path SCRIPT = Path.of(System.getProperty("mailroom.benchmark.app-launcher"));

	@TempDir
	Path dir;

	@Test
	void onJdk25TrainingRecordsTheCacheFromAStartThatStopsAtRefreshAndRunUsesIt() throws Exception {
		Path jdk = fakeJdk("25.0.3");
		Path app = Files.createDirectories(dir.resolve("app"));

		Process train = launcher(jdk, "train", app.toString(), "--extra=1").start();
		assertThat(train.waitFor()).as(output(train)).isZero();
		List<String> trained = calls(jdk);
		assertThat(trained).contains("-XX:AOTCacheOutput=" + app.toRealPath().resolve("application.aot"),
				"-Dspring.context.exit=onRefresh", "--spring.flyway.enabled=false", "--extra=1");
		assertThat(app.resolve("application.aot")).exists();

		Process run = launcher(jdk, "run", app.toString(), "--server.port=1").start();
		assertThat(run.waitFor()).isZero();
		assertThat(calls(jdk)).containsSubsequence("-XX:AOTCache=" + app.toRealPath().resolve("application.aot"), "-jar",
				app.toRealPath().resolve("application.jar").toString(), "--server.port=1");
	}

	@Test
	void theApplicationsJvmOptionsGoToTrainingAndRunBeforeJavaOpts() throws Exception {
		Path jdk = fakeJdk("25.0.3");
		Path app = Files.createDirectories(dir.resolve("app"));
		Files.writeString(app.resolve("jvm.options"), "-XX:+UseSerialGC\n");
		String options = "@" + app.toRealPath().resolve("jvm.options");

		Process train = launcher(jdk, "train", app.toString()).start();
		assertThat(train.waitFor()).as(output(train)).isZero();
		assertThat(calls(jdk)).containsSubsequence(options, "-XX:AOTCacheOutput=" + app.toRealPath().resolve("application.aot"));

		ProcessBuilder run = launcher(jdk, "run", app.toString());
		run.environment().put("JAVA_OPTS", "-XX:+UseG1GC");
		assertThat(run.start().waitFor()).isZero();
		assertThat(calls(jdk)).containsSubsequence(options, "-XX:+UseG1GC", "-jar");
	}

	@Test
	void onJdk21NothingIsRecordedAndTheApplicationStartsWithoutACache() throws Exception {
		Path jdk = fakeJdk("21.0.9");
		Path app = Files.createDirectories(dir.resolve("app"));

		Process train = launcher(jdk, "train", app.toString()).start();
		assertThat(train.waitFor()).isZero();
		assertThat(output(train)).contains("JDK 21: no AOT cache recorded");
		assertThat(Files.exists(jdk.resolve("calls"))).as("java was not started").isFalse();
		Files.writeString(app.resolve("application.aot"), "left over from a JDK 25 image");

		Process run = launcher(jdk, "run", app.toString()).start();
		assertThat(run.waitFor()).isZero();
		assertThat(calls(jdk)).noneMatch(option -> option.startsWith("-XX:AOT"))
			.containsExactly("-jar", app.toRealPath().resolve("application.jar").toString());
	}

	@Test
	void aTrainingStartThatFailsLeavesNoCacheAndTheImageStillBuilds() throws Exception {
		Path jdk = fakeJdk("25.0.3");
		Path app = Files.createDirectories(dir.resolve("app"));
		ProcessBuilder failing = launcher(jdk, "train", app.toString());
		failing.environment().put("FAKE_JAVA_FAILS", "yes");

		Process train = failing.start();
		assertThat(train.waitFor()).isZero();
		assertThat(output(train)).contains("no AOT cache recorded, the application starts without it");
		assertThat(app.resolve("application.aot")).doesNotExist();
	}

	private ProcessBuilder launcher(Path jdk, String... arguments) {
		List<String> command = new java.util.ArrayList<>(List.of("bash", SCRIPT.toAbsolutePath().toString()));
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().put("JAVA_HOME", jdk.toString());
		builder.environment().remove("JAVA_OPTS");
		return builder;
	}

	/** A JDK of the given version whose java appends its arguments to {@code calls} and writes any cache asked for. */
	private Path fakeJdk(String version) throws IOException {
		Path jdk = Files.createDirectories(dir.resolve("jdk-" + version));
		Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
		Path java = Files.createDirectories(jdk.resolve("bin")).resolve("java");
		Files.writeString(java, """
				#!/usr/bin/env bash
				for a in "$@"; do
				  echo "$a" >> "%s"
				  case "$a" in -XX:AOTCacheOutput=*) touch "${a#-XX:AOTCacheOutput=}" ;; esac
				done
				[ -z "${FAKE_JAVA_FAILS:-}" ]
				""".formatted(jdk.resolve("calls")));
		Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
		return jdk;
	}

	private static List<String> calls(Path jdk) throws IOException {
		List<String> calls = Files.readAllLines(jdk.resolve("calls"));
		Files.delete(jdk.resolve("calls"));
		return calls;
	}

	private static String output(Process process) throws IOException {
		return new String(process.getInputStream().readAllBytes());
	}

}
