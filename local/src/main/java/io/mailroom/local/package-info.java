/**
 * The one-command local run: PostgreSQL, a KRaft Kafka broker, the Microsoft stand-in, the api and the
 * worker in one JVM, with data kept in {@code .mailroom/}.
 *
 * <p>Rules: development only, never part of a deployment. The api and the worker run from their production
 * executable jars, each in a class loader of its own, configured only through properties, so that what runs
 * here is what runs in production; everything that differs is in {@link io.mailroom.local.LocalMailroom}.
 * Kafka's internal server classes are used here and nowhere else.
 */
package io.mailroom.local;
