package io.mailroom.api.limits;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Each call of the endpoint takes one request of {@code value} from the caller's account allowance, shared by
 * every api instance, after the role check and before the request is read. The OpenAPI document shows it
 * with a 429 response.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface RateLimit {

	RateLimits.Action value();

}
