package io.mailroom.api.web;

/**
 * What is wrong with one input field, in words a person can act on.
 *
 * @param field the field's JSON path, e.g. {@code authentication.tenantId}
 * @param message what to change, e.g. "must be empty for a multi-tenant app"
 */
public record FieldMessage(String field, String message) {
}
