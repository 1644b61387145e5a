/**
 * The PostgreSQL schema (Flyway migrations under {@code db/migration}) and the few conversions every
 * repository needs. Repositories use {@code JdbcClient} with explicit SQL: the queue's claim and
 * idempotency rules are SQL, and reading them in one place beats reading them through an ORM.
 */
package io.mailroom.core.database;
