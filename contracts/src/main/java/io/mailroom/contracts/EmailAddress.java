package io.mailroom.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A mailbox: an RFC 5322 address with an optional display name.
 *
 * @param address the addr-spec, e.g. {@code ada@example.com}
 * @param name optional display name, e.g. {@code Ada Lovelace}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EmailAddress(String address, String name) {

	public static EmailAddress of(String address) {
		return new EmailAddress(address, null);
	}

}
