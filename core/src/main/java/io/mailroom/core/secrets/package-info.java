/**
 * Secrets at rest: client secrets, SMTP passwords, PKCE verifiers and MSAL token caches are stored as
 * sealed envelopes (AES-256-GCM) that carry the id of the key that sealed them, so keys can rotate:
 * new envelopes use the active key, old ones stay readable while their key is configured.
 *
 * <p>Rules: plaintext secrets live only in local variables of the code that uses them; they are never
 * logged, never put in exceptions, never returned by the API. Every envelope is bound to where it is
 * stored (the "context", e.g. {@code smtp_service/<id>/client_secret}), so a sealed value copied into
 * another row does not open.
 */
package io.mailroom.core.secrets;
