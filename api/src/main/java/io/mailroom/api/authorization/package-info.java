/**
 * Authorizing an OAuth2 service (Microsoft or Google): the authorization code flow with PKCE, started by an admin
 * ({@code POST /api/smtp-services/{id}/authorization}) and finished by the provider's redirect to the callback
 * ({@code /oauth2/custom-smtp-token} by default, the one redirect URI to register at either), which redeems the
 * code (MSAL4J, or Google's auth library with {@code access_type=offline} and {@code prompt=consent}), stores the
 * sealed grant and marks the service AUTHORIZED.
 *
 * <p>Rules: the {@code state} is 256 random bits, stored only as its SHA-256 hash with the sealed PKCE
 * verifier, bound to the service, account and actor, single-use (consumed atomically before anything else
 * happens) and short-lived; a state that is unknown, expired or used is refused and nothing is stored.
 * Codes, states, verifiers and tokens are never logged or shown. A signed-in account other than the
 * service's login email (Google: the id token's email), or a grant without SMTP.Send, stores nothing. Return URLs must match the
 * configured allow-list.
 */
package io.mailroom.api.authorization;
