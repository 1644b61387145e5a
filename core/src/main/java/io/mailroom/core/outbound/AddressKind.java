package io.mailroom.core.outbound;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kinds of addresses Mailroom does not connect to for an admin's SMTP service, and the blocks that
 * have them: whatever answers there is inside someone's network (or the cloud host's own), not a mail
 * server on the internet.
 */
public enum AddressKind {

	/** Instance metadata services: AWS, GCP, Azure, Oracle (169.254.169.254), Azure's wire server, AWS ECS and IPv6, Alibaba. */
	CLOUD_METADATA("a cloud metadata address"),

	/** 127.0.0.0/8, ::1. */
	LOOPBACK("a loopback address"),

	/** RFC 1918, and IPv6 site-local. */
	PRIVATE("a private address"),

	/** 169.254.0.0/16, fe80::/10. */
	LINK_LOCAL("a link-local address"),

	/** RFC 6598 shared address space, 100.64.0.0/10. */
	CARRIER_GRADE_NAT("a carrier-grade NAT address"),

	/** fc00::/7. */
	UNIQUE_LOCAL("a unique local IPv6 address"),

	/** 224.0.0.0/4, ff00::/8. */
	MULTICAST("a multicast address"),

	/** 0.0.0.0/8 (which reaches the machine itself on Linux), ::. */
	UNSPECIFIED("an unspecified address"),

	/** IETF protocol assignments, benchmarking, 240.0.0.0/4 with the broadcast address, IPv6 discard and local NAT64. */
	RESERVED("a reserved address");

	// Checked in this order, so that a metadata address is named as one and not as link-local or CGNAT.
	private static final List<Map.Entry<AddressBlock, AddressKind>> BLOCKS = List.of(
			block("169.254.169.254/32", CLOUD_METADATA), block("169.254.170.2/32", CLOUD_METADATA),
			block("168.63.129.16/32", CLOUD_METADATA), block("100.100.100.200/32", CLOUD_METADATA),
			block("192.0.0.192/32", CLOUD_METADATA), block("fd00:ec2::254/128", CLOUD_METADATA),
			block("0.0.0.0/8", UNSPECIFIED), block("::/128", UNSPECIFIED),
			block("127.0.0.0/8", LOOPBACK), block("::1/128", LOOPBACK),
			block("10.0.0.0/8", PRIVATE), block("172.16.0.0/12", PRIVATE), block("192.168.0.0/16", PRIVATE),
			block("fec0::/10", PRIVATE),
			block("169.254.0.0/16", LINK_LOCAL), block("fe80::/10", LINK_LOCAL),
			block("100.64.0.0/10", CARRIER_GRADE_NAT),
			block("fc00::/7", UNIQUE_LOCAL),
			block("224.0.0.0/4", MULTICAST), block("ff00::/8", MULTICAST),
			block("192.0.0.0/24", RESERVED), block("198.18.0.0/15", RESERVED), block("240.0.0.0/4", RESERVED),
			block("100::/64", RESERVED), block("64:ff9b:1::/48", RESERVED));

	// IPv6 blocks that carry an IPv4 address, and where: reaching them may reach that IPv4 address.
	// written as bytes: the JDK turns the literal ::ffff:0:0 into the IPv4 address 0.0.0.0
	private static final AddressBlock IPV4_MAPPED = new AddressBlock(
			new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0 }, 96);

	private static final AddressBlock IPV4_COMPATIBLE = AddressBlock.parse("::/96");

	private static final AddressBlock NAT64 = AddressBlock.parse("64:ff9b::/96");

	private static final AddressBlock SIX_TO_FOUR = AddressBlock.parse("2002::/16");

	private static final AddressBlock UNSPECIFIED_OR_LOOPBACK = AddressBlock.parse("::/127");

	private final String description;

	AddressKind(String description) {
		this.description = description;
	}

	/** How an admin reads it: "a private address". */
	public String description() {
		return this.description;
	}

	/** The kind of an internal address; empty for an address on the public internet. */
	static Optional<AddressKind> of(InetAddress address) {
		byte[] bytes = address.getAddress();
		if (bytes.length == 16) {
			byte[] embedded = embeddedIpv4(bytes);
			if (embedded != null) {
				Optional<AddressKind> kind = of(embedded);
				if (kind.isPresent()) {
					return kind;
				}
			}
		}
		return of(bytes);
	}

	private static Optional<AddressKind> of(byte[] address) {
		return BLOCKS.stream()
			.filter(entry -> entry.getKey().contains(address))
			.map(Map.Entry::getValue)
			.findFirst();
	}

	private static byte[] embeddedIpv4(byte[] ipv6) {
		if (IPV4_MAPPED.contains(ipv6) || NAT64.contains(ipv6)
				|| IPV4_COMPATIBLE.contains(ipv6) && !UNSPECIFIED_OR_LOOPBACK.contains(ipv6)) {
			return Arrays.copyOfRange(ipv6, 12, 16);
		}
		if (SIX_TO_FOUR.contains(ipv6)) {
			return Arrays.copyOfRange(ipv6, 2, 6);
		}
		return null;
	}

	private static Map.Entry<AddressBlock, AddressKind> block(String cidr, AddressKind kind) {
		return Map.entry(AddressBlock.parse(cidr), kind);
	}

}
