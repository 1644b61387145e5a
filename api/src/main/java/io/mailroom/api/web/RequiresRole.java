package io.mailroom.api.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The least role a caller needs for an endpoint. Every {@code /api/**} handler method carries one: the api
 * refuses to start otherwise, the security filter enforces it before the request body is read, and the
 * OpenAPI document shows it.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface RequiresRole {

	Role value();

}
