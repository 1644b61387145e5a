/**
 * Where Mailroom may connect for an admin's SMTP service: public SMTP servers on SMTP ports, and the internal
 * ones the operator lists ({@link io.mailroom.core.outbound.OutboundProperties}). The guard against a service
 * used to reach internal hosts, cloud metadata or other ports (server-side request forgery).
 *
 * <p>Rules: every connection to a host an admin entered goes through
 * {@link io.mailroom.core.outbound.SmtpDestinations}: the api checks on save (every address the host has now),
 * the worker's sockets check on every connect (the address they connect to), before any packet is sent. A
 * refusal is a CONFIGURATION failure that says what to enter instead and never carries anything of the far
 * end. Hosts the operator configures (the identity platform, Kafka, PostgreSQL) are not admins' input and do
 * not go through it.
 */
package io.mailroom.core.outbound;
