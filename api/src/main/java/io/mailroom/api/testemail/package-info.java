/**
 * Test emails: one mail through the real pipeline (Kafka, a worker, the service's SMTP server), answered with
 * the worker's outcome when it comes within a bounded wait, or with the requestId to poll.
 *
 * <p>Rules: only AUTHORIZED services are tested (others get a 409 that says what to do first); a test is a
 * TRANSACTIONAL request tagged {@code mailroom.test=true} that expires after a few minutes; the outcome is
 * the {@link io.mailroom.contracts.SendResult} on {@code mail.send-results}, or the delivery row turning HELD,
 * whichever is seen first.
 */
package io.mailroom.api.testemail;
