package io.mailroom.core.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * A CIDR block of IPv4 or IPv6 addresses, e.g. {@code 10.0.0.0/8} or {@code fc00::/7}.
 *
 * @param network the block's first address
 * @param prefix how many leading bits every address of the block shares with {@code network}
 */
record AddressBlock(byte[] network, int prefix) {

	private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

	private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

	AddressBlock {
		network = network.clone();
		if (prefix < 0 || prefix > network.length * 8) {
			throw new IllegalArgumentException("/" + prefix + " is no prefix length for " + network.length * 8
					+ "-bit addresses");
		}
	}

	/** {@code 10.0.0.0/8}, {@code fd00::/8}, or one address ({@code 10.1.2.3}, {@code ::1}). */
	static AddressBlock parse(String cidr) {
		int slash = cidr.indexOf('/');
		InetAddress address = literal(slash < 0 ? cidr : cidr.substring(0, slash));
		if (address == null) {
			throw new IllegalArgumentException("'" + cidr + "' is not an IP address or CIDR block");
		}
		int bits = address.getAddress().length * 8;
		if (slash < 0) {
			return new AddressBlock(address.getAddress(), bits);
		}
		try {
			return new AddressBlock(address.getAddress(), Integer.parseInt(cidr.substring(slash + 1)));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("'" + cidr + "' has no prefix length after the '/'");
		}
	}

	/** The address written in {@code text} if it is an IP literal (no DNS lookup), else null. */
	static InetAddress literal(String text) {
		String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
		if (!IPV4.matcher(bare).matches() && !IPV6.matcher(bare).matches()) {
			return null;
		}
		try {
			// a literal: getByName parses it and asks no resolver
			return InetAddress.getByName(bare);
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	boolean contains(InetAddress address) {
		return contains(address.getAddress());
	}

	boolean contains(byte[] address) {
		if (address.length != this.network.length) {
			return false;
		}
		int whole = this.prefix / 8;
		for (int i = 0; i < whole; i++) {
			if (address[i] != this.network[i]) {
				return false;
			}
		}
		int rest = this.prefix % 8;
		if (rest == 0) {
			return true;
		}
		int mask = (0xff << (8 - rest)) & 0xff;
		return (address[whole] & mask) == (this.network[whole] & mask);
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof AddressBlock block && block.prefix == this.prefix
				&& Arrays.equals(block.network, this.network);
	}

	@Override
	public int hashCode() {
		return 31 * Arrays.hashCode(this.network) + this.prefix;
	}

	@Override
	public String toString() {
		try {
			return InetAddress.getByAddress(this.network).getHostAddress() + "/" + this.prefix;
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
