package io.mailroom.api.web;

import java.util.List;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.PropertyBindingException;

import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every exception that leaves a controller into a problem detail. Spring's own exceptions keep
 * their status; input errors are rewritten so that they name the field and never echo the value sent
 * (it may be a secret pasted into the wrong field). A field the API does not know is an error too, named
 * with the fields it does know: dropping it silently would lose what the caller meant to set.
 */
@RestControllerAdvice
class ProblemHandling extends ResponseEntityExceptionHandler {

	private static final Logger LOG = LoggerFactory.getLogger(ProblemHandling.class);

	@Override
	protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<FieldMessage> errors = ex.getBindingResult()
			.getFieldErrors()
			.stream()
			.map(error -> new FieldMessage(error.getField(), String.valueOf(error.getDefaultMessage())))
			.toList();
		return problem(new InvalidInput(errors));
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		if (ex.getCause() instanceof JacksonException json && !json.getPath().isEmpty()) {
			String field = json.getPath()
				.stream()
				.map(reference -> reference.getPropertyName() != null ? reference.getPropertyName()
						: String.valueOf(reference.getIndex()))
				.collect(Collectors.joining("."));
			return problem(new InvalidInput(field, expected(json)));
		}
		return problem(new InvalidInput("body", "must be a JSON document as described in the API documentation"));
	}

	@Override
	protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		String name = ex instanceof MethodArgumentTypeMismatchException argument ? argument.getName()
				: String.valueOf(ex.getPropertyName());
		Class<?> type = ex.getRequiredType();
		return problem(new InvalidInput(name, "must be " + describe(type)));
	}

	/** Anything unexpected: logged once here with its stack trace, answered without internals. */
	@ExceptionHandler(Exception.class)
	ResponseEntity<Object> unexpected(Exception ex, WebRequest request) {
		LOG.error("Unexpected failure serving {}", request.getDescription(false), ex);
		ProblemDetail problem = Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, Problems.INTERNAL, "Internal error",
				"Mailroom could not complete the request; try again, and if it keeps failing, contact support "
						+ "with the time it happened.");
		return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(problem);
	}

	private ResponseEntity<Object> problem(InvalidInput invalid) {
		return ResponseEntity.status(invalid.getStatusCode()).body(invalid.getBody());
	}

	private static String expected(JacksonException json) {
		if (json instanceof PropertyBindingException unknown) {
			return unknownField(unknown);
		}
		if (json instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
			return "must be " + describe(mismatch.getTargetType());
		}
		return "has a value that cannot be read here";
	}

	/** "is not a field here (did you mean replyTo?); the fields are name, host, …". */
	private static String unknownField(PropertyBindingException unknown) {
		List<String> known = unknown.getKnownPropertyIds() == null ? List.of()
				: unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
		String name = String.valueOf(unknown.getPropertyName());
		String guess = known.stream().filter(field -> resembles(name, field)).findFirst().orElse(null);
		return "is not a field here, so it would be lost" + (guess == null ? "" : "; did you mean " + guess + "?")
				+ (known.isEmpty() ? "" : " The fields here are " + String.join(", ", known) + ".");
	}

	/** replyToAddress and replyTo, reply_to and replyTo, clientid and clientId, replyTp and replyTo. */
	private static boolean resembles(String sent, String field) {
		String a = sent.replace("_", "").replace("-", "").toLowerCase(java.util.Locale.ROOT);
		String b = field.toLowerCase(java.util.Locale.ROOT);
		return a.startsWith(b) || b.startsWith(a) || distance(a, b) <= 2;
	}

	private static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			int[] current = new int[b.length() + 1];
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			previous = current;
		}
		return previous[b.length()];
	}

	private static String describe(Class<?> type) {
		if (type == null) {
			return "of another type";
		}
		if (type == java.util.UUID.class) {
			return "a UUID such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301";
		}
		if (Number.class.isAssignableFrom(type) || type == int.class || type == long.class) {
			return "a whole number";
		}
		if (type == boolean.class || type == Boolean.class) {
			return "true or false";
		}
		if (type == java.time.LocalDate.class) {
			return "a date such as 2027-01-31";
		}
		if (type == java.time.Instant.class) {
			return "a timestamp such as 2027-01-31T12:00:00Z";
		}
		if (type.isEnum()) {
			return "one of " + java.util.Arrays.stream(type.getEnumConstants())
				.map(String::valueOf)
				.collect(Collectors.joining(", "));
		}
		if (type == String.class) {
			return "a string";
		}
		if (List.class.isAssignableFrom(type) || type.isArray()) {
			return "a list";
		}
		return "an object";
	}

}
