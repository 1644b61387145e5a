/**
 * Intake: reads {@code mail.send-requests}, validates every request, stores the valid ones durably and
 * idempotently (by requestId) and only then lets Kafka commit the offsets.
 *
 * <p>Rules (ADR 0008):
 * <ul>
 *   <li><b>Nothing a producer sends can crash or stall intake.</b> Every record is read, checked and
 *       answered on its own; a record that breaks a parser or a check costs that record, never its
 *       partition.</li>
 *   <li><b>One record, one answer.</b> A record whose requestId can be read gets exactly one result on
 *       {@code mail.send-results}: REJECTED saying what to fix when it breaks a rule (whether its JSON does
 *       not map to a request, its bytes are not UTF-8, or a value breaks a rule), and no dead-letter copy.
 *       A record whose requestId cannot be read (empty, not JSON, not an object, no requestId) goes to
 *       {@code mail.send-requests.dlt} with the reason in {@code mailroom-dlt-reason}: nobody can be
 *       answered.</li>
 *   <li><b>Every stored text is checked</b> ({@code TextCheck}, with {@link io.mailroom.core.text.SafeText}'s
 *       rules and {@link io.mailroom.worker.intake.IntakeProperties}' limits) before it is stored: what
 *       PostgreSQL or SMTP would refuse is refused here, naming the field, the character and its position.
 *       Producers' text is never changed silently; only the row of a refused request keeps a cleaned copy of
 *       its subject, recipients and tags.</li>
 *   <li><b>A batch PostgreSQL still refuses is split</b> ({@code BatchStore}): narrowed down by halves to
 *       the requests at fault, which get a REJECTED result with code {@code UNPROCESSABLE_REQUEST} and, for
 *       operators, a copy on the dead-letter topic marked {@code mailroom-dlt-answered: REJECTED}. The same
 *       happens to a request a check throws on. Such a copy means intake's checks have a gap.</li>
 *   <li><b>Only an unavailable database or broker makes intake throw</b>
 *       ({@link io.mailroom.core.database.DatabaseErrors#isUnavailable}); then the whole batch is retried with
 *       backoff, which the idempotent store makes safe.</li>
 * </ul>
 */
package io.mailroom.worker.intake;
