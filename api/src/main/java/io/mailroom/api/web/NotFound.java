package io.mailroom.api.web;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * A resource the caller's account does not have. Another account's resource is reported exactly like a
 * missing one, so ids cannot be probed across accounts.
 */
public class NotFound extends ErrorResponseException {

	public NotFound(String what, Object id) {
		super(HttpStatus.NOT_FOUND, Problems.of(HttpStatus.NOT_FOUND, Problems.NOT_FOUND, "Not found",
				"Your account has no " + what + " " + id + "."), null);
	}

}
