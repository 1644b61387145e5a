package io.mailroom.core.tracing;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import static org.assertj.core.api.Assertions.assertThat;

class TraceParentTest {

	@Test
	void aW3cHeaderIsReadAndWrittenBack() {
		String header = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

		TraceParent parent = TraceParent.parse(header);

		assertThat(parent.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
		assertThat(parent.spanId()).isEqualTo("00f067aa0ba902b7");
		assertThat(parent.value()).isEqualTo(header);
	}

	@Test
	void malformedOrAllZeroHeadersAreIgnored() {
		assertThat(TraceParent.parse("garbage")).isNull();
		assertThat(TraceParent.parse("00-00000000000000000000000000000000-00f067aa0ba902b7-01")).isNull();
		assertThat(TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")).isNull();
		assertThat(TraceParent.parse(null)).isNull();
	}

	@Test
	void aNewTraceIsWellFormed() {
		assertThat(TraceParent.parse(TraceParent.newTrace().value())).isNotNull();
	}

	@Test
	void theTraceIsInTheLogContextOnlyWhileTheScopeIsOpen() {
		try (var scope = TraceParent.inLogs("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")) {
			assertThat(MDC.get("traceId")).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
		}
		assertThat(MDC.get("traceId")).isNull();
	}

}
