/**
 * Per-account rate limits on every action that changes something or costs Microsoft, a mailbox or the
 * database something: service changes, authorization starts, test emails, API key changes and delivery log
 * reads. One allowance per account and action, kept in PostgreSQL and shared by every api instance (ADR 0011);
 * the identity platform and Exchange have their own limits behind these.
 *
 * <p>Rules: an endpoint is limited by annotating it with {@link io.mailroom.api.limits.RateLimit}, which the
 * OpenAPI document shows; a limited request is a 429 problem with {@code Retry-After}.
 */
package io.mailroom.api.limits;
