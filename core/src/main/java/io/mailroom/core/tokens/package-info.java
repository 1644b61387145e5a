/**
 * Microsoft tokens for SMTP services: MSAL4J confidential clients built the same way for the api (which
 * redeems authorization codes) and the worker (which refreshes silently), and the sealed, versioned
 * store of each service's MSAL token cache.
 *
 * <p>Rules: the identity platform's host is a setting (national clouds, the sandbox); the refresh token
 * only ever lives inside the sealed cache; a cache is saved with compare-and-set on its version, so an
 * older cache (an older refresh token, or a grant an admin has since replaced) never overwrites a newer
 * one.
 */
package io.mailroom.core.tokens;
