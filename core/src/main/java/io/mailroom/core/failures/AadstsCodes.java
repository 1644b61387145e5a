package io.mailroom.core.failures;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds Microsoft identity platform codes in text. MSAL4J puts the numeric code only into its exception
 * messages ({@code "AADSTS50173: The provided grant has expired due to it being revoked…"}), and the token
 * endpoint into {@code error_description}.
 */
public final class AadstsCodes {

	/** Nine digits at most: every AADSTS code fits an int, and a longer number is not one. */
	private static final Pattern CODE = Pattern.compile("AADSTS(\\d{1,9})(?!\\d)", Pattern.CASE_INSENSITIVE);

	private AadstsCodes() {
	}

	/**
	 * The first {@code AADSTSnnnn} code in {@code text}.
	 * @param text an MSAL exception message or an {@code error_description}; may be {@code null}
	 * @return the numeric code, or empty if there is none
	 */
	public static OptionalInt find(String text) {
		if (text == null) {
			return OptionalInt.empty();
		}
		Matcher matcher = CODE.matcher(text);
		return matcher.find() ? OptionalInt.of(Integer.parseInt(matcher.group(1))) : OptionalInt.empty();
	}

}
