package io.mailroom.api.web;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** Input that fails validation: a 400 problem listing every field that needs attention. */
public class InvalidInput extends ErrorResponseException {

	private final List<FieldMessage> errors;

	public InvalidInput(List<FieldMessage> errors) {
		super(HttpStatus.BAD_REQUEST, Problems.withFieldErrors(Problems.of(HttpStatus.BAD_REQUEST,
				Problems.INVALID_INPUT, "Invalid input", summary(errors)), errors), null);
		this.errors = List.copyOf(errors);
	}

	public InvalidInput(String field, String message) {
		this(List.of(new FieldMessage(field, message)));
	}

	public List<FieldMessage> errors() {
		return errors;
	}

	private static String summary(List<FieldMessage> errors) {
		if (errors.size() == 1) {
			return errors.get(0).field() + ": " + errors.get(0).message();
		}
		return errors.size() + " fields need attention: see errors.";
	}

}
