package io.mailroom.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class WorkerProfileTest {

	private static volatile long sink;

	@TempDir
	Path dir;

	@Test
	void theJitsCompilationsAreCountedByTheLibraryOfTheCompiledCode() throws Exception {
		Path file = dir.resolve("compilations.jfr");
		AtomicBoolean hotMethodCompiled = new AtomicBoolean();
		try (Recording recording = new Recording(); RecordingStream stream = new RecordingStream()) {
			recording.enable("jdk.Compilation").withThreshold(Duration.ZERO);
			stream.enable("jdk.Compilation").withThreshold(Duration.ZERO);
			stream.onEvent("jdk.Compilation", event -> {
				RecordedMethod method = event.getValue("method");
				if (method.getName().equals("hot") && event.getInt("compileLevel") == 4) {
					hotMethodCompiled.set(true);
				}
			});
			recording.start();
			stream.startAsync();
			await().atMost(Duration.ofMinutes(1)).until(() -> {
				for (int i = 0; i < 100_000; i++) {
					sink += hot(i);
				}
				return hotMethodCompiled.get();
			});
			recording.stop();
			recording.dump(file);
		}

		WorkerProfile.Summary summary = WorkerProfile.of(file);

		assertThat(summary.c2()).containsKey("Mailroom code");
		assertThat(summary.c2().get("Mailroom code").methods()).isPositive();
		assertThat(WorkerProfile.Compiled.total(summary.c2()).time()).isPositive();
		assertThat(WorkerProfile.Compiled.total(summary.c1()).methods()).isPositive();
		assertThat(summary.c2ByQuarter()).hasSize(4);
		assertThat(summary.c2ByQuarter().stream().reduce(Duration.ZERO, Duration::plus))
			.as("every C2 compilation falls in one quarter of the recording")
			.isEqualTo(WorkerProfile.Compiled.total(summary.c2()).time());
		assertThat(Files.size(file)).isPositive();
	}

	private static long hot(int i) {
		return (i * 31L) ^ (i >>> 3);
	}

}
