/**
 * The Kafka side of the contract shared by api and worker: topic declarations and the publisher of
 * {@link io.mailroom.contracts.ServiceEvent}s. Messages travel as the contract's JSON
 * ({@link io.mailroom.contracts.MailroomJson}) without Java type headers, so consumers in any language
 * read them from the schemas alone.
 */
package io.mailroom.core.events;
