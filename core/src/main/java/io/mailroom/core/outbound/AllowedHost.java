package io.mailroom.core.outbound;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.regex.Pattern;

/** An entry of {@code mailroom.outbound.allowed-hosts}: a host name, or a block of addresses. */
sealed interface AllowedHost {

	Pattern HOST_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

	/** Whether a connection to {@code destination} (its name as entered, and the address it resolved to) is allowed. */
	boolean allows(String hostName, InetSocketAddress destination);

	/** A host name, compared as entered (case and a final dot aside): whatever it resolves to is allowed. */
	record Name(String name) implements AllowedHost {

		@Override
		public boolean allows(String hostName, InetSocketAddress destination) {
			return hostName != null && this.name.equals(normalize(hostName));
		}

	}

	/** Addresses: whatever name led to them. */
	record Block(AddressBlock block) implements AllowedHost {

		@Override
		public boolean allows(String hostName, InetSocketAddress destination) {
			return destination.getAddress() != null && this.block.contains(destination.getAddress());
		}

	}

	static AllowedHost parse(String entry) {
		String text = entry == null ? "" : normalize(entry);
		if (text.isEmpty()) {
			throw new IllegalArgumentException("mailroom.outbound.allowed-hosts has an empty entry");
		}
		int slash = text.indexOf('/');
		if (AddressBlock.literal(slash < 0 ? text : text.substring(0, slash)) != null) {
			try {
				return new Block(AddressBlock.parse(text));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("mailroom.outbound.allowed-hosts: " + ex.getMessage()
						+ "; write a host name, an IP address or a CIDR block such as 10.20.0.0/16");
			}
		}
		if (!HOST_NAME.matcher(text).matches()) {
			throw new IllegalArgumentException("mailroom.outbound.allowed-hosts: '" + entry + "' is not a host name, "
					+ "IP address or CIDR block (write relay.example.com, 10.1.2.3 or 10.20.0.0/16, without a port)");
		}
		return new Name(text);
	}

	static String normalize(String host) {
		String lower = host.strip().toLowerCase(Locale.ROOT);
		return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
	}

}
