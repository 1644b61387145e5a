package io.mailroom.core.outbound;

import java.util.List;
import java.util.Set;

import jakarta.validation.constraints.NotEmpty;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Which SMTP servers the hosts and ports that admins enter may reach. Everything on the public internet
 * on an SMTP port is allowed; internal addresses (loopback, private, link-local, carrier-grade NAT, unique
 * local, multicast, unspecified, reserved and cloud metadata addresses) are refused unless listed here.
 *
 * @param allowedPorts the ports any public SMTP server may be reached on (default 25, 465, 587 and 2525)
 * @param allowedHosts destinations the operator trusts entirely, on any port and whatever they resolve
 *     to: host names ({@code relay.corp.example}, {@code localhost}), IP addresses ({@code 10.1.2.3}) or
 *     CIDR blocks ({@code 10.20.0.0/16}, {@code fd00::/8}); empty by default. List only servers you run:
 *     every account may point a service at them.
 */
@Validated
@ConfigurationProperties("mailroom.outbound")
public record OutboundProperties(@NotEmpty @DefaultValue({ "25", "465", "587", "2525" }) Set<Integer> allowedPorts,
		@DefaultValue List<String> allowedHosts) {

	public OutboundProperties {
		allowedPorts = Set.copyOf(allowedPorts);
		allowedHosts = List.copyOf(allowedHosts);
		for (int port : allowedPorts) {
			if (port < 1 || port > 65535) {
				throw new IllegalArgumentException(
						"mailroom.outbound.allowed-ports: " + port + " is not a port (1 to 65535)");
			}
		}
		// parse now, so that a typo stops the start instead of silently allowing nothing
		allowedHosts.forEach(AllowedHost::parse);
	}

	/** Only public SMTP servers on the default ports. */
	public static OutboundProperties defaults() {
		return new OutboundProperties(Set.of(25, 465, 587, 2525), List.of());
	}

}
