package io.mailroom.api.security;

/**
 * A path pattern anyone may call without credentials, declared as a bean by the feature that serves it
 * (e.g. the OAuth2 callback, which Microsoft's redirect reaches without the admin's credentials).
 *
 * @param pattern a Spring path pattern, e.g. {@code /oauth2/custom-smtp-token}
 */
public record PublicPath(String pattern) {
}
