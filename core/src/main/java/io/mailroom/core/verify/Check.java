package io.mailroom.core.verify;

/**
 * One check of Verify setup.
 *
 * @param name what was checked, e.g. {@code token.audience}
 * @param passed whether it holds
 * @param detail what was found, e.g. the token's audience
 * @param fix what to do when it failed; null when it passed
 */
public record Check(String name, boolean passed, String detail, String fix) {

	static Check pass(String name, String detail) {
		return new Check(name, true, detail, null);
	}

	static Check fail(String name, String detail, String fix) {
		return new Check(name, false, detail, fix);
	}

}
