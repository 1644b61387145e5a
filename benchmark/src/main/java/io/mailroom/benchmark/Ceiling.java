package io.mailroom.benchmark;

import java.time.Duration;
import java.util.List;

import jakarta.mail.MessagingException;
import io.mailroom.contracts.SendRequest;

/**
 * (a) against one sink: the cold mails timed as they come (the first of this loop in this JVM), then the warm
 * ones, with the sink's own CPU over the warm run where the sink is a process of its own.
 * @param sinkCpu the lean sink's CPU over the warm run, or null for the stand-in (it shares this JVM)
 * @param warmProcessCpu the CPU of the loop's whole process over the warm run, when it ran in one of its own
 *     ({@link LoopProcess}), or null
 */
record Ceiling(SmtpLoops.Run cold, SmtpLoops.Run warm, Duration sinkCpu, Duration warmProcessCpu) {

	static Ceiling measure(SmtpLoops loops, List<SendRequest> cold, List<SendRequest> warm, LeanSinkProcess sink)
			throws MessagingException {
		SmtpLoops.Run coldRun = loops.reusedConnection(cold);
		Duration before = sink == null ? null : sink.cpu();
		SmtpLoops.Run warmRun = loops.reusedConnection(warm);
		return new Ceiling(coldRun, warmRun, sink == null ? null : sink.cpu().minus(before), null);
	}

}
