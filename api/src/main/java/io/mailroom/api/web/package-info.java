/**
 * HTTP plumbing every feature shares: who calls ({@link io.mailroom.api.web.Caller}, its
 * {@link io.mailroom.api.web.Role}), errors as RFC 9457 problem details, and the OpenAPI document.
 *
 * <p>Rules: every error response is a {@link org.springframework.http.ProblemDetail} whose {@code type} is one
 * of {@link io.mailroom.api.web.Problems}; a problem's detail says what to do, and never carries a secret,
 * a token, a code or a state; input errors name the field they concern ({@code errors[].field}).
 */
package io.mailroom.api.web;
