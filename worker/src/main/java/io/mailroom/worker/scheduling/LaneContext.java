package io.mailroom.worker.scheduling;

import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

import io.mailroom.core.services.ServiceStatusChanges;
import io.mailroom.core.services.SmtpServices;
import io.mailroom.worker.delivery.DeliveryRouter;
import io.mailroom.worker.queue.DeliveryQueue;

/** What every lane of this worker shares. */
record LaneContext(String worker, SchedulingProperties settings, DeliveryQueue queue, SmtpServices services,
		ServiceStatusChanges statusChanges, DeliveryRouter delivery, Outcomes outcomes, RetryPolicy retry,
		Breakers breakers, Executor executor, ScheduledExecutorService timer, Clock clock,
		Consumer<Lane> onClosed) {
}
