package io.mailroom.contracts;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import tools.jackson.databind.JsonNode;

/**
 * Lists the changes between a released schema and its current version that would break someone who
 * relies on the released one: a producer whose valid messages would now be refused, or a consumer that
 * counts on a field, a type or a value the released schema promised.
 *
 * <p>It compares the two schemas keyword by keyword at the same place; it does not resolve {@code $ref}s
 * (each file is compared on its own, so a change inside {@code common.schema.json} is found there) and it
 * does not try to prove that a changed pattern or condition still accepts everything it accepted before:
 * such a change is reported, to be judged by a person. Widening is never reported: a new optional
 * property, a new enum value, a raised maximum, a removed constraint.
 */
final class SchemaCompatibility {

	/** What was broken, with the reason a reviewer reads in the failure. */
	enum Rule {

		PROPERTY_REMOVED("a property was removed or renamed: producers sending it are refused, consumers reading it break"),

		DEFINITION_REMOVED("a shared definition was removed: schemas and generated code referring to it break"),

		TYPE_NARROWED("a type is no longer accepted"),

		ENUM_VALUE_REMOVED("an enum value is no longer accepted"),

		ALTERNATIVE_REMOVED("an anyOf alternative was removed"),

		LIMIT_TIGHTENED("a new or stricter limit (max lowered or added, min raised or added)"),

		CONSTRAINT_ADDED("a new constraint (pattern, format, const, enum, not, condition…) refuses values accepted before"),

		CONSTRAINT_CHANGED("a constraint changed and may refuse values accepted before: verify by hand"),

		PROPERTY_NOW_REQUIRED("an optional property became required: producers that leave it out are refused"),

		NEW_REQUIRED_PROPERTY("a new property is required: every existing producer is refused"),

		NO_LONGER_REQUIRED("a required property became optional: consumers that rely on it break"),

		ADDITIONAL_PROPERTIES_TIGHTENED("properties that were allowed are now refused or constrained"),

		DEFAULT_CHANGED("a default changed: producers that leave the property out get different behaviour"),

		REFERENCE_CHANGED("a $ref points elsewhere: verify by hand that the target accepts the same"),

		IDENTIFIER_CHANGED("the schema's identity changed: references to it from other schemas and tools break");

		final String reason;

		Rule(String reason) {
			this.reason = reason;
		}

	}

	/**
	 * One breaking change.
	 *
	 * @param rule what kind of break
	 * @param location JSON Pointer of the changed keyword in the schema
	 * @param detail what changed, e.g. the removed value
	 */
	record BreakingChange(Rule rule, String location, String detail) {

		@Override
		public String toString() {
			return this.rule + " at " + this.location + " (" + this.detail + "): " + this.rule.reason;
		}

	}

	// Keywords that describe but never refuse: editing them is always compatible.
	private static final Set<String> ANNOTATIONS = Set.of("title", "description", "$comment", "examples",
			"deprecated", "readOnly", "writeOnly", "contentMediaType");

	private static final Set<String> UPPER_LIMITS = Set.of("maxLength", "maxItems", "maxProperties", "maximum",
			"exclusiveMaximum", "maxContains");

	private static final Set<String> LOWER_LIMITS = Set.of("minLength", "minItems", "minProperties", "minimum",
			"exclusiveMinimum", "minContains");

	// Keywords holding one subschema that is compared in place. then and else apply under the same if;
	// a changed if is reported on its own.
	private static final Set<String> SUBSCHEMAS = Set.of("items", "propertyNames", "contains", "then", "else");

	private static final Set<String> IDENTIFIERS = Set.of("$id", "$schema", "$anchor");

	private final List<BreakingChange> changes = new ArrayList<>();

	private final JsonNode releasedRoot;

	private SchemaCompatibility(JsonNode releasedRoot) {
		this.releasedRoot = releasedRoot;
	}

	/** The breaking changes from {@code released} to {@code current}; empty when current is compatible. */
	static List<BreakingChange> check(JsonNode released, JsonNode current) {
		SchemaCompatibility compatibility = new SchemaCompatibility(released);
		compatibility.compare("", released, current);
		return List.copyOf(compatibility.changes);
	}

	private void compare(String location, JsonNode released, JsonNode current) {
		if (released.equals(current) || isTrue(current) || released.isBoolean() && !released.asBoolean()) {
			return;
		}
		if (current.isBoolean()) {
			report(Rule.CONSTRAINT_ADDED, location, "now refuses every value");
			return;
		}
		Set<String> keywords = new LinkedHashSet<>(released.propertyNames());
		keywords.addAll(current.propertyNames());
		for (String keyword : keywords) {
			compareKeyword(location, keyword, released, current);
		}
	}

	private void compareKeyword(String location, String keyword, JsonNode released, JsonNode current) {
		JsonNode before = released.get(keyword);
		JsonNode after = current.get(keyword);
		String at = location + "/" + escape(keyword);
		if (ANNOTATIONS.contains(keyword) || (before != null && before.equals(after))) {
			return;
		}
		switch (keyword) {
			case "properties" -> compareProperties(at, before, after);
			case "$defs", "definitions" -> compareDefinitions(at, before, after);
			case "required" -> compareRequired(location, released, current);
			case "type" -> compareType(at, before, after);
			case "enum" -> compareEnum(at, before, after);
			case "anyOf" -> compareAlternatives(at, before, after);
			case "allOf" -> compareConjunction(at, before, after);
			case "additionalProperties" -> compareAdditionalProperties(at, before, after);
			case "default" -> {
				if (before != null) {
					report(Rule.DEFAULT_CHANGED, at, before + " became " + describe(after));
				}
			}
			case "$ref" -> report(Rule.REFERENCE_CHANGED, at, describe(before) + " became " + describe(after));
			default -> compareConstraint(at, keyword, before, after);
		}
	}

	private void compareConstraint(String at, String keyword, JsonNode before, JsonNode after) {
		if (after == null) {
			return; // a constraint removed only widens
		}
		if (IDENTIFIERS.contains(keyword)) {
			report(Rule.IDENTIFIER_CHANGED, at, describe(before) + " became " + after);
		}
		else if (UPPER_LIMITS.contains(keyword)) {
			if (before == null || after.asDouble() < before.asDouble()) {
				report(Rule.LIMIT_TIGHTENED, at, describe(before) + " became " + after);
			}
		}
		else if (LOWER_LIMITS.contains(keyword)) {
			if (before == null ? after.asDouble() > 0 : after.asDouble() > before.asDouble()) {
				report(Rule.LIMIT_TIGHTENED, at, describe(before) + " became " + after);
			}
		}
		else if (SUBSCHEMAS.contains(keyword)) {
			if (before != null) {
				compare(at, before, after);
			}
			else if (!isTrue(after)) {
				report(Rule.CONSTRAINT_ADDED, at, "new " + after);
			}
		}
		else if (before == null) {
			report(Rule.CONSTRAINT_ADDED, at, "new " + after);
		}
		else {
			report(Rule.CONSTRAINT_CHANGED, at, before + " became " + after);
		}
	}

	private void compareProperties(String at, JsonNode before, JsonNode after) {
		if (before == null) {
			return; // properties only constrain names they list; listing new ones is the additive change
		}
		for (String name : before.propertyNames()) {
			if (after == null || !after.has(name)) {
				report(Rule.PROPERTY_REMOVED, at + "/" + escape(name), name);
			}
			else {
				compare(at + "/" + escape(name), before.get(name), after.get(name));
			}
		}
	}

	private void compareDefinitions(String at, JsonNode before, JsonNode after) {
		if (before == null) {
			return;
		}
		for (String name : before.propertyNames()) {
			if (after == null || !after.has(name)) {
				report(Rule.DEFINITION_REMOVED, at + "/" + escape(name), name);
			}
			else {
				compare(at + "/" + escape(name), before.get(name), after.get(name));
			}
		}
	}

	// Called once per schema object, whichever of the two versions has the keyword.
	private void compareRequired(String location, JsonNode released, JsonNode current) {
		Set<String> before = strings(released.get("required"));
		Set<String> after = strings(current.get("required"));
		String at = location + "/required";
		for (String name : after) {
			if (before.contains(name)) {
				continue;
			}
			// Conditions (then, anyOf branches) require properties that the message itself declares.
			if (released.path("properties").has(name) || this.releasedRoot.path("properties").has(name)) {
				report(Rule.PROPERTY_NOW_REQUIRED, at, name);
			}
			else {
				report(Rule.NEW_REQUIRED_PROPERTY, at, name);
			}
		}
		for (String name : before) {
			// A removed property is already reported as such.
			boolean removed = released.path("properties").has(name) && !current.path("properties").has(name);
			if (!after.contains(name) && !removed) {
				report(Rule.NO_LONGER_REQUIRED, at, name);
			}
		}
	}

	private void compareType(String at, JsonNode before, JsonNode after) {
		if (after == null) {
			return;
		}
		if (before == null) {
			report(Rule.TYPE_NARROWED, at, "now only " + after);
			return;
		}
		Set<String> types = strings(after);
		for (String type : strings(before)) {
			// Every integer is a number: integer → number widens.
			boolean stillAccepted = types.contains(type) || type.equals("integer") && types.contains("number");
			if (!stillAccepted) {
				report(Rule.TYPE_NARROWED, at, type);
			}
		}
	}

	private void compareEnum(String at, JsonNode before, JsonNode after) {
		if (after == null) {
			return;
		}
		if (before == null) {
			report(Rule.CONSTRAINT_ADDED, at, "new " + after);
			return;
		}
		List<JsonNode> values = new ArrayList<>();
		after.forEach(values::add);
		for (JsonNode value : before) {
			if (!values.contains(value)) {
				report(Rule.ENUM_VALUE_REMOVED, at, value.toString());
			}
		}
	}

	private void compareAlternatives(String at, JsonNode before, JsonNode after) {
		if (after == null) {
			return;
		}
		if (before == null) {
			report(Rule.CONSTRAINT_ADDED, at, "new " + after);
			return;
		}
		for (int i = 0; i < before.size(); i++) {
			if (i < after.size()) {
				compare(at + "/" + i, before.get(i), after.get(i));
			}
			else {
				report(Rule.ALTERNATIVE_REMOVED, at + "/" + i, before.get(i).toString());
			}
		}
	}

	private void compareConjunction(String at, JsonNode before, JsonNode after) {
		if (after == null) {
			return;
		}
		int released = before == null ? 0 : before.size();
		for (int i = 0; i < after.size(); i++) {
			if (i < released) {
				compare(at + "/" + i, before.get(i), after.get(i));
			}
			else {
				report(Rule.CONSTRAINT_ADDED, at + "/" + i, "new " + after.get(i));
			}
		}
	}

	private void compareAdditionalProperties(String at, JsonNode before, JsonNode after) {
		if (after == null || isTrue(after) || before != null && before.isBoolean() && !before.asBoolean()) {
			return;
		}
		if (before == null || isTrue(before) || after.isBoolean()) {
			report(Rule.ADDITIONAL_PROPERTIES_TIGHTENED, at, describe(before) + " became " + after);
			return;
		}
		compare(at, before, after);
	}

	private void report(Rule rule, String location, String detail) {
		this.changes.add(new BreakingChange(rule, location, detail));
	}

	private static boolean isTrue(JsonNode schema) {
		return schema.isBoolean() && schema.asBoolean() || schema.isObject() && schema.isEmpty();
	}

	private static Set<String> strings(JsonNode node) {
		Set<String> strings = new HashSet<>();
		if (node != null && node.isString()) {
			strings.add(node.asString());
		}
		else if (node != null) {
			node.forEach((element) -> strings.add(element.asString()));
		}
		return strings;
	}

	private static String describe(JsonNode node) {
		return node == null ? "absent" : node.toString();
	}

	// JSON Pointer escaping (RFC 6901), so a location can be looked up with JsonNode.at().
	private static String escape(String token) {
		return token.replace("~", "~0").replace("/", "~1");
	}

}
