package io.mailroom.api.web;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** The caller is known but its role does not allow the request: a 403 problem that says who can. */
public class Forbidden extends ErrorResponseException {

	public Forbidden(Caller caller, Role needed) {
		super(HttpStatus.FORBIDDEN, Problems.of(HttpStatus.FORBIDDEN, Problems.FORBIDDEN, "Not allowed for your role",
				"This needs the " + needed.label() + " role, and " + caller.describeRole() + ". Ask an admin of your "
						+ "account to do it, or to give you " + (needed == Role.ADMIN ? "an admin" : "an operator")
						+ " API key or role."),
				null);
	}

}
