/**
 * The audit log of admin actions: who created, changed, authorized, tested or deleted which service, and
 * who created or revoked API keys, when.
 *
 * <p>Rules: every admin action is recorded through {@link io.mailroom.api.audit.AuditLog} after it took
 * effect; details name what changed, never secret values (the fields that changed, a requestId, an
 * AADSTS code); an account reads only its own events.
 */
package io.mailroom.api.audit;
