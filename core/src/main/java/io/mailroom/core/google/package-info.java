/**
 * Google Workspace tokens for Gmail SMTP, through Google's own {@code google-auth-library-oauth2-http} (ADR 0015):
 * the authorize URL and code redemption of a user grant ({@code UserAuthorizer}), silent refreshes
 * ({@code UserCredentials}) and a service account's JWT bearer grant with {@code sub} = the mailbox
 * ({@code ServiceAccountCredentials#createDelegated}).
 *
 * <p>Rules: Google's hosts are settings (the stand-in has its own); every request goes to the configured token
 * endpoint, never to a {@code token_uri} an uploaded key names; a grant's refresh token lives only in the sealed,
 * versioned token cache, a service account's key only sealed in its service; failures come back classified
 * ({@link io.mailroom.core.failures.Failures#google}) and decide nothing about a service.
 */
package io.mailroom.core.google;
