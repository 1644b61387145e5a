package io.mailroom.benchmark;

import java.time.Duration;
import java.util.List;

import jakarta.mail.MessagingException;
import io.mailroom.contracts.SendRequest;

/**
 * (a) against one sink: the cold mails timed as they come (the first of this loop in its JVM), then the warm
 * ones. To the lean sink it runs in a JVM of its own ({@link LoopProcess}), which gives the CPU of its whole
 * process and of the sink over the warm run; to the stand-in, in this JVM.
 * @param sinkCpu the lean sink's CPU over the warm run, or null for the stand-in (it shares this JVM)
 * @param warmProcessCpu the CPU of the loop's whole process over the warm run, or null when it ran in this JVM
 */
record Ceiling(SmtpLoops.Run cold, SmtpLoops.Run warm, Duration sinkCpu, Duration warmProcessCpu) {

	/** (a) in this JVM, to a sink that shares it (the stand-in): no CPU but the sending thread's is its own. */
	static Ceiling inThisJvm(SmtpLoops loops, List<SendRequest> cold, List<SendRequest> warm) throws MessagingException {
		SmtpLoops.Run coldRun = loops.reusedConnection(cold);
		return new Ceiling(coldRun, loops.reusedConnection(warm), null, null);
	}

}
