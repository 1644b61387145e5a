package io.mailroom.benchmark;

import java.util.List;

import io.mailroom.benchmark.Options.Part;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class OptionsTest {

	@Test
	void defaultsMatchTheDocumentedBenchmark() {
		Options options = Options.parse();

		assertThat(options.messages()).isEqualTo(20_000);
		assertThat(options.newConnectionMessages()).isEqualTo(20_000);
		assertThat(options.bulkMails()).isEqualTo(10_000);
		assertThat(options.tokenServices()).isEqualTo(100);
		assertThat(options.tokenSends()).isEqualTo(10_000);
		assertThat(options.warmup()).isEqualTo(10_000);
		assertThat(options.peerMessages()).isEqualTo(10_000);
		assertThat(options.queued()).isEqualTo(100_000);
		assertThat(options.rounds()).isEqualTo(3);
		assertThat(options.synchronousCommit()).isTrue();
		assertThat(options.parts()).containsExactlyInAnyOrder(Part.values());
	}

	@Test
	void takesCountsPartsAndWorkerSettings() {
		Options options = Options.parse("--messages", "5_000", "--rounds", "5", "--only", "a, c, d, heap", "--worker",
				"mailroom.scheduling.claim-batch=100", "--worker-jvm", "-XX:+UseSerialGC");

		assertThat(options.messages()).isEqualTo(5_000);
		assertThat(options.rounds()).isEqualTo(5);
		assertThat(options.parts()).containsExactlyInAnyOrder(Part.A, Part.C, Part.D, Part.HEAP);
		assertThat(options.workerArguments()).isEqualTo(List.of("--mailroom.scheduling.claim-batch=100"));
		assertThat(options.workerJvmOptions()).isEqualTo(List.of("-XX:+UseSerialGC"));
	}

	@Test
	void refusesWhatItDoesNotKnow() {
		assertThatIllegalArgumentException().isThrownBy(() -> Options.parse("--mesages", "5"));
		assertThatIllegalArgumentException().isThrownBy(() -> Options.parse("--messages", "many"));
		assertThatIllegalArgumentException().isThrownBy(() -> Options.parse("--only", "e"));
		assertThatIllegalArgumentException().isThrownBy(() -> Options.parse("--warmup", "0"));
		assertThatIllegalArgumentException().isThrownBy(() -> Options.parse("--rounds", "0"));
		assertThatIllegalArgumentException().isThrownBy(() -> Options.parse("--messages"));
	}

}
