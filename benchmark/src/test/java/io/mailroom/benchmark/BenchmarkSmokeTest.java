package io.mailroom.benchmark;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The harness works: a few mails through (a), (b) and (c), all delivered, and a report with the ratios.
 * Says nothing about speed (that is what ./run-benchmark is for).
 */
class BenchmarkSmokeTest {

	@Test
	void aFewMailsGoThroughEveryThroughputPart() {
		Options options = Options.parse("--messages", "20", "--warmup", "2", "--only", "a,b,c");
		Benchmark.Results results = new Benchmark(options, Path.of(System.getProperty("mailroom.benchmark.dir")),
				Path.of(System.getProperty("mailroom.benchmark.worker-jar"))).run();

		assertThat(results.a().messages()).isEqualTo(20);
		assertThat(results.b().messages()).isEqualTo(20);
		assertThat(results.c().run().allSent()).as("every mail of (c) SENT: %s", results.c().run().statuses()).isTrue();
		assertThat(results.c().cpu().worker()).isPositive();
		assertThat(results.c().peakHeapBytes()).isPositive();

		ByteArrayOutputStream printed = new ByteArrayOutputStream();
		new Report(new PrintStream(printed, true, StandardCharsets.UTF_8)).print(results);
		assertThat(printed.toString(StandardCharsets.UTF_8)).contains("(c) Mailroom", "c/a", "c/b", "target ≥ 0.70");
	}

}
