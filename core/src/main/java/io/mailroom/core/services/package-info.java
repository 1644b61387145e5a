/**
 * SMTP services: an account's configured way of sending (host, From address, basic, Microsoft OAuth2 or Google
 * OAuth2 credentials) and its authorization state.
 *
 * <p>Rules: every read that serves a caller is scoped to an account ({@link SmtpServices#findOwned});
 * credentials stay sealed in {@link SmtpService} and are opened only where a connection or token request
 * is made; a service's status only moves to NEEDS_REAUTHORIZATION or CONFIGURATION_ERROR if the
 * authorization that failed is still the current one (see {@link SmtpServices#markNeedsAttention}).
 */
package io.mailroom.core.services;
