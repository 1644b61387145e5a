/**
 * SMTP services as admins set them up: create, list, read, change and delete, with validation a person can
 * act on, write-only secrets and the service's status.
 *
 * <p>Rules: every read and write is scoped to the caller's account (another account's service is a 404);
 * secrets are sealed before they are stored and never returned (only whether they are set and when they
 * changed), and never logged; changing an OAuth2 service's credentials, tenant or login email resets its
 * authorization (the token cache is deleted and started authorizations are cancelled); a basic-auth service
 * is AUTHORIZED whenever it is saved with credentials, which releases its held mail; a host or port the destination
 * guard ({@link io.mailroom.core.outbound.SmtpDestinations}) refuses is never saved.
 */
package io.mailroom.api.services;
