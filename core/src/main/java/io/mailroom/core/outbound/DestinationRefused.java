package io.mailroom.core.outbound;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.mailroom.contracts.ErrorCategory;
import io.mailroom.contracts.ErrorDetails;
import io.mailroom.core.failures.Failure;
import io.mailroom.core.failures.ServiceImpact;

/**
 * Mailroom refused to connect to an SMTP service's host and port: the port is not an SMTP port it allows, or
 * the host resolves to an internal address. Thrown before any packet is sent, so there is never a reply or a
 * banner of the far end to report.
 */
public final class DestinationRefused extends IOException {

	/** The failure code when the host resolves to an internal address. */
	public static final String HOST_NOT_ALLOWED = "SMTP_HOST_NOT_ALLOWED";

	/** The failure code when the port is not one Mailroom connects to. */
	public static final String PORT_NOT_ALLOWED = "SMTP_PORT_NOT_ALLOWED";

	private final String host;

	private final InetAddress address;

	private final int port;

	private final AddressKind kind;

	private final Set<Integer> allowedPorts;

	private DestinationRefused(String host, InetAddress address, int port, AddressKind kind,
			Set<Integer> allowedPorts) {
		super(kind != null ? "SMTP host " + host + " resolves to " + address.getHostAddress() + ", "
				+ kind.description() : "SMTP port " + port + " is not allowed");
		this.host = host;
		this.address = address;
		this.port = port;
		this.kind = kind;
		this.allowedPorts = Set.copyOf(allowedPorts);
	}

	static DestinationRefused internalAddress(String host, InetAddress address, int port, AddressKind kind) {
		return new DestinationRefused(host, address, port, kind, Set.of());
	}

	static DestinationRefused port(String host, int port, Set<Integer> allowedPorts) {
		return new DestinationRefused(host, null, port, null, allowedPorts);
	}

	/** The refusal somewhere in {@code thrown}'s causes, e.g. inside a mail library's connect exception. */
	public static Optional<DestinationRefused> in(Throwable thrown) {
		Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		for (Throwable t = thrown; t != null && seen.add(t); t = t.getCause()) {
			if (t instanceof DestinationRefused refused) {
				return Optional.of(refused);
			}
		}
		return Optional.empty();
	}

	/** The service field at fault: {@code host} or {@code port}. */
	public String field() {
		return this.kind != null ? "host" : "port";
	}

	/** What {@link #field()} gets told on the service form: what is wrong, then what to enter. */
	public String fieldMessage() {
		if (this.kind != null) {
			String ip = this.address.getHostAddress();
			return (literal() ? "is " + this.kind.description() + " (" + ip + ")"
					: "resolves to " + ip + ", " + this.kind.description())
					+ ", and Mailroom does not connect to internal networks: " + hint(false);
		}
		return "is not an SMTP port Mailroom connects to: " + hint(false);
	}

	/** The failure a send reports: CONFIGURATION, not retryable, holding the service until it is changed. */
	public Failure failure() {
		String message = this.kind != null
				? "Mailroom did not connect: the SMTP host " + this.host + (literal() ? " is "
						: " resolves to " + this.address.getHostAddress() + ", ") + this.kind.description()
						+ ", and Mailroom does not connect to internal networks."
				: "Mailroom did not connect: port " + this.port + " is not an SMTP port Mailroom connects to.";
		return new Failure(new ErrorDetails(ErrorCategory.CONFIGURATION, this.kind != null ? HOST_NOT_ALLOWED
				: PORT_NOT_ALLOWED, message, hint(true), null, false), null, ServiceImpact.CONFIGURATION_ERROR,
				null);
	}

	/** Whether the host was entered as the address itself. */
	private boolean literal() {
		InetAddress written = AddressBlock.literal(this.host);
		return written != null && written.equals(this.address);
	}

	private String hint(boolean sentence) {
		String hint;
		if (this.kind != null) {
			hint = "enter your mail server's public host name (smtp.office365.com for Microsoft 365); a mail server "
					+ "inside your network works only if Mailroom's operator lists it in mailroom.outbound.allowed-hosts";
		}
		else {
			hint = "use " + (this.allowedPorts.contains(587) ? "587 (SMTP submission with STARTTLS, as Microsoft 365 "
					+ "does) or another allowed port: " : "one of the allowed ports: ")
					+ this.allowedPorts.stream().sorted().map(String::valueOf).collect(Collectors.joining(", "))
					+ "; another port works only if Mailroom's operator adds it to mailroom.outbound.allowed-ports";
		}
		return sentence ? Character.toUpperCase(hint.charAt(0)) + hint.substring(1) + "." : hint;
	}

	public String host() {
		return this.host;
	}

	public int port() {
		return this.port;
	}

	/** The internal address the host resolved to; null when the port was refused. */
	public InetAddress address() {
		return this.address;
	}

	/** What kind of internal address; null when the port was refused. */
	public AddressKind kind() {
		return this.kind;
	}

}
