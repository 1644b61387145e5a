/**
 * Access tokens for services that send with Microsoft OAuth2 (XOAUTH2): served from memory, refreshed
 * silently through MSAL4J from each service's stored token cache, and kept alive for services that send
 * rarely.
 *
 * <p>Rules of this package:
 * <ul>
 *   <li>At most one identity platform call per service at a time, in this worker: concurrent sends of a
 *       service wait for that one call and share its token (or its failure). Nothing here waits on a lock
 *       that another service's sends need.</li>
 *   <li>A token is refreshed {@link io.mailroom.worker.tokens.TokenProperties#refreshMargin() ahead} of its
 *       expiry, never used up to (or past) it.</li>
 *   <li>The stored token cache is the truth: it is read before every identity platform call and saved
 *       with compare-and-set afterwards. A cache someone else saved meanwhile (another worker's refresh, an
 *       admin's re-authorization) wins; ours is dropped, never written over theirs.</li>
 *   <li>Token failures come back classified with the authorization (token cache version) that failed;
 *       what they mean for the service is decided by {@link io.mailroom.core.services.ServiceStatusChanges},
 *       which marks it only if that authorization is still the current one. Outages and timeouts never
 *       mark a service, and count only against the circuit of their own tenant's authority
 *       ({@link io.mailroom.worker.tokens.IdentityCircuit}).</li>
 *   <li>Tokens, refresh tokens, caches and client secrets are never logged, never put in exceptions or
 *       metric tags; metric tags never name a service or an address.</li>
 * </ul>
 */
package io.mailroom.worker.tokens;
