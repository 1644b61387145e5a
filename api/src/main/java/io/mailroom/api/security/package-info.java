/**
 * Who may call the api, and what they may do: bearer JWTs of the product's identity provider (Spring
 * Security's resource server, configured with the standard {@code spring.security.oauth2.resourceserver.jwt.*}
 * settings, an audience required) carrying an account claim and a Mailroom role, and Mailroom API keys per
 * account with a role and an expiry, stored as SHA-256 hashes. Both end in a {@link io.mailroom.api.web.Caller}.
 *
 * <p>Rules: everything except the paths declared as {@link io.mailroom.api.security.PublicPath}s requires
 * a caller; a missing, invalid or expired credential is a 401 problem; every {@code /api/**} handler declares
 * the least role it needs ({@link io.mailroom.api.web.RequiresRole}), checked before the request is read, and
 * a lesser role is a 403 problem; only admins manage API keys, and a key made with a key never outlives it; the
 * api starts without JWT settings (API keys only then), never with JWTs but no audience. API keys are shown
 * once, when created, and never logged.
 */
package io.mailroom.api.security;
