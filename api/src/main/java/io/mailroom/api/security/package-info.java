/**
 * Who may call the api: bearer JWTs of the product's identity provider (Spring Security's resource server,
 * configured with the standard {@code spring.security.oauth2.resourceserver.jwt.*} settings) carrying an
 * account claim, and Mailroom API keys per account, stored as SHA-256 hashes. Both end in a
 * {@link io.mailroom.api.web.Caller}.
 *
 * <p>Rules: everything except the paths declared as {@link io.mailroom.api.security.PublicPath}s requires
 * a caller; a missing or invalid credential is a 401 problem; the api starts without JWT settings (API keys
 * only then). API keys are shown once, when created, and never logged.
 */
package io.mailroom.api.security;
