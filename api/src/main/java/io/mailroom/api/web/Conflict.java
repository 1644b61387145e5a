package io.mailroom.api.web;

import java.net.URI;

import io.mailroom.contracts.ErrorDetails;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** The request does not fit the resource's current state: a 409 problem that says what to do first. */
public class Conflict extends ErrorResponseException {

	public Conflict(String title, String detail) {
		this(Problems.CONFLICT, title, detail, null);
	}

	public Conflict(URI type, String title, String detail, ErrorDetails reason) {
		super(HttpStatus.CONFLICT, Problems.withError(Problems.of(HttpStatus.CONFLICT, type, title, detail), reason),
				null);
	}

}
