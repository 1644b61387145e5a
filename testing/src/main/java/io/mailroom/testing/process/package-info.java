/**
 * Mailroom's parts and infrastructure as real operating-system processes that a test can hurt: an
 * application from its executable jar in a JVM of its own, a KRaft Kafka broker from Kafka's own artifacts,
 * and a PostgreSQL server from the embedded binaries. Each can be stopped and started again on the same port
 * and data; an application can also be killed ({@code SIGKILL}) and frozen ({@code SIGSTOP}, {@code SIGCONT}).
 *
 * <p>Rules: ports are picked free at the first start and kept across restarts, so clients reconnect to the
 * same address, as after a restart in production. Every process writes its output to a log file the caller
 * names (appended across restarts). Nothing here waits with a fixed sleep where a readiness condition can
 * be checked. Processes that outlive their owner are stopped by a shutdown hook.
 */
package io.mailroom.testing.process;
