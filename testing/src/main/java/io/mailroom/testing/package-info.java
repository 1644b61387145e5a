/**
 * Real infrastructure for tests, without Docker: one embedded PostgreSQL server and one KRaft Kafka
 * broker per test JVM, started on first use and stopped when the JVM exits.
 *
 * <p>Each Spring test context gets its own fresh database (so tests never see each other's rows) but
 * shares the broker (topics are cheap; tests use their own keys or topics). Start a context on them with
 * {@code @ContextConfiguration(initializers = RealInfrastructure.class)}.
 *
 * <p>{@link OtlpCollector} is an OpenTelemetry collector over HTTP that keeps the spans apps export to it.
 *
 * <p>{@link HostileRecords} generates send requests, valid and hostile, each with the answer Mailroom owes
 * it, for tests and fault runs that throw bad input at intake.
 *
 * <p>Tests that must hurt the infrastructure or the apps themselves (kill, freeze, stop and start them) run
 * them as processes of their own with {@link io.mailroom.testing.process}.
 */
package io.mailroom.testing;
