package io.mailroom.benchmark;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The harness works: a few mails through (a), (b), (c) and (d), all delivered to the sinks, and a report with
 * the ratios. Says nothing about speed (that is what ./run-benchmark is for).
 */
class BenchmarkSmokeTest {

	@Test
	void aFewMailsGoThroughEveryThroughputPart() {
		Options options = Options.parse("--messages", "20", "--warmup", "5", "--peer-messages", "10", "--rounds",
				"2", "--only", "a,b,c,d");
		Benchmark.Results results = new Benchmark(options, Path.of(System.getProperty("mailroom.benchmark.dir")),
				Path.of(System.getProperty("mailroom.benchmark.worker-jar")),
				Path.of(System.getProperty("mailroom.benchmark.worker-jvm-options")),
				Path.of(System.getProperty("mailroom.benchmark.peer-jar")),
				Path.of(System.getProperty("mailroom.benchmark.app-launcher")))
			.run();

		assertThat(results.aLean().warm().messages()).isEqualTo(20);
		assertThat(results.aLean().sinkCpu()).isPositive();
		assertThat(results.aLean().warmProcessCpu()).as("(a) in a JVM of its own").isGreaterThan(results.aLean().warm().cpu());
		assertThat(results.aStandIn().warm().messages()).isEqualTo(20);
		assertThat(results.b().messages()).isEqualTo(20);
		MailroomEndToEnd.Result c = results.c();
		assertThat(c.cold().run().allSent()).as("every cold mail of (c) SENT: %s", c.cold().run().statuses()).isTrue();
		assertThat(c.cold().startToFirstMail()).isPositive();
		assertThat(c.warm().run().allSent()).as("every warm mail of (c) SENT: %s", c.warm().run().statuses()).isTrue();
		assertThat(results.cStandIn().run().allSent()).isTrue();
		assertThat(results.rounds().all()).hasSize(2)
			.allSatisfy(round -> assertThat(round.c().warm().run().allSent()).as("every round's (c) sent all").isTrue());
		assertThat(c.warm().cpu().worker()).isPositive();
		assertThat(c.warm().cpu().sink()).isPositive();
		assertThat(c.warm().peakHeapBytes()).isPositive();
		assertThat(results.d().warm().messages()).isEqualTo(10);
		assertThat(results.d().warm().sessions()).as("the peer opens a connection per mail").isEqualTo(10);

		ByteArrayOutputStream printed = new ByteArrayOutputStream();
		new Report(new PrintStream(printed, true, StandardCharsets.UTF_8)).print(results);
		assertThat(printed.toString(StandardCharsets.UTF_8)).contains("(c) Mailroom", "(d) Spring peer",
				"c/a cold, lean sink", "c/a warm, lean sink", "c/d warm", "target ≥ 8.00", "start-to-first-mail (c)",
				"rounds: ", "Rounds, to the lean sink");
	}

}
