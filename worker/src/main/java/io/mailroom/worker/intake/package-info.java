/**
 * Intake: reads {@code mail.send-requests}, validates every request, stores the valid ones durably and
 * idempotently (by requestId) and only then lets Kafka commit the offsets.
 *
 * <p>Rules: nothing a producer sends can crash or stall intake. A record that cannot be read at all goes
 * to {@code mail.send-requests.dlt} with the reason in a header (and gets a REJECTED result when its
 * requestId can be read); a readable but invalid request gets a REJECTED result saying what to fix. Only
 * infrastructure failures (database or broker down) make intake retry a batch, and then the whole batch
 * is retried, which the idempotent store makes safe.
 */
package io.mailroom.worker.intake;
