package io.mailroom.worker.scheduling;

import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import io.mailroom.core.services.ServiceStatusChanges;
import io.mailroom.core.services.SmtpServices;
import io.mailroom.core.tracing.TraceContexts;
import io.mailroom.worker.delivery.Delivery;
import io.mailroom.worker.queue.DeliveryQueue;
import io.mailroom.worker.queue.MailboxLeases;
import io.micrometer.core.instrument.Counter;

/**
 * What every mailbox runtime of this worker shares.
 *
 * @param clock wall-clock time, for what is stored and compared with stored times (next attempts, deadlines)
 * @param ticker monotonic nanoseconds ({@link System#nanoTime()}), for how long a lease and claims may be
 *     relied on: wall-clock jumps must never stretch them
 * @param unconfirmedSends counts attempts that failed after the whole mail was handed over
 * @param traces where each send's spans continue their request's trace
 */
record RuntimeContext(String worker, SchedulingProperties settings, DeliveryQueue queue, MailboxLeases leases,
		SmtpServices services, ServiceStatusChanges statusChanges, Delivery delivery, Outcomes outcomes,
		RetryPolicy retry, Circuits circuits, Claims claims, Executor executor, ScheduledExecutorService timer,
		Clock clock, LongSupplier ticker, Counter unconfirmedSends, TraceContexts traces,
		Consumer<MailboxRuntime> onClosed) {
}
